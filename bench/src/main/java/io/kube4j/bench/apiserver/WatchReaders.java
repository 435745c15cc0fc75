package io.kube4j.bench.apiserver;

/** The watches one watcher process holds open on a server, over whichever transport that server serves. */
interface WatchReaders extends AutoCloseable {
    /** Opens every watch and waits up to the timeout until each is established or refused. */
    void open(long timeoutMillis) throws Exception;

    /** Watches the server accepted. */
    int established();

    /** Watches the server refused or that broke before an answer. */
    int failed();

    /** Accepted watches that ended since (the server closed or cut them). */
    int ended();

    /** The first thing that went wrong, or null. */
    String firstError();

    @Override
    void close();
}
