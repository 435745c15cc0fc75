package io.kube4j.bench.apiserver;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The watches one watcher process holds open on a server, over whichever transport that server serves: how the
 * opening went and what broke, counted the same way for every transport; each event goes to the process's
 * {@link WatchTally}.
 */
abstract class WatchReaders implements AutoCloseable {
    /** Watches the server accepted. */
    protected final AtomicInteger established = new AtomicInteger();
    /** Watches the server refused or that broke before an answer. */
    protected final AtomicInteger failed = new AtomicInteger();
    /** Accepted watches that ended since (the server closed or cut them). */
    protected final AtomicInteger ended = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /** Opens every watch and waits up to the timeout until each is established or refused. */
    abstract void open(long timeoutMillis) throws Exception;

    final int established() {
        return established.get();
    }

    final int failed() {
        return failed.get();
    }

    final int ended() {
        return ended.get();
    }

    /** The first thing that went wrong, or null. */
    final String firstError() {
        return firstError.get();
    }

    /** Notes what went wrong, if it is the first thing. */
    protected final void error(String what) {
        firstError.compareAndSet(null, what);
    }

    @Override
    public abstract void close();
}
