package io.kube4j.store;

/**
 * Receives a watch's events, in revision order, each exactly once, on a thread of the store's choosing.
 * After {@link #onError} nothing more is delivered: the watch is over and the caller resumes, if it wants,
 * with a new watch from the revision after the last event it saw.
 */
public interface WatchListener {
    void onEvent(WatchEvent event);

    /** The watch ended: {@link StoreException.Compacted}, {@link StoreException.WatchTooSlow}, or the store closed. */
    void onError(StoreException error);

    /** The store has seen every write up to {@code revision} and none of them matched (a bookmark). */
    default void onProgress(long revision) {
    }
}
