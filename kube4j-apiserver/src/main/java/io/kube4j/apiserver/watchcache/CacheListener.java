package io.kube4j.apiserver.watchcache;

/**
 * A client watch fed by the cache: during registration under the cache's lock, afterwards from the cache's fan-out
 * thread, one call at a time. Calls must not block: they share that thread with every other watch.
 */
public interface CacheListener {

    /** Returns false to be removed (the client is gone). */
    boolean onEvent(CachedEvent event);

    /** The cache lost its store watch; the client must start over. */
    void onTerminated(String reason);

    /** The synthetic ADDED events of the initial state are all delivered; live events follow. */
    default void onInitialEventsEnd(long revision) {
    }

    /** Every write up to {@code revision} has been delivered. */
    default void onProgress(long revision) {
    }

    /**
     * Whether the last {@link #onEvent} or {@link #onProgress} call sent the client something, rather than finding
     * nothing for it (an object outside its selection, a bookmark it did not ask for). Asked by the fan-out thread
     * right after that call: the cache paces its fan-out by the clients it writes to (see {@code FanoutPacing}), so a
     * thousand watches that each select a few objects do not slow one another's events down.
     */
    default boolean sentLast() {
        return true;
    }
}
