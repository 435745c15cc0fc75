package io.kube4j.store;

/** A running watch; closing it stops delivery (no onError is called for a close the caller asked for). */
public interface Watch extends AutoCloseable {

    /**
     * Asks for a progress notification ({@link WatchListener#onProgress}) soon, delivered after every event the
     * watch has queued, so a reader can learn without waiting for the periodic one that the watch has seen every
     * write up to the store's current revision (etcd's RequestWatchProgress). Returns false if the store cannot,
     * and then nothing is sent; repeating the request while waiting is harmless.
     */
    default boolean requestProgress() {
        return false;
    }

    @Override
    void close();
}
