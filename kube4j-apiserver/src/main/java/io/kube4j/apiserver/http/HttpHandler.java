package io.kube4j.apiserver.http;

/**
 * The application side of the HTTP server; called on a worker thread, or on the event loop for a request
 * {@link #servesInline} accepts, or {@link #servesOnQuietLoop} accepts while the loop has no other request in
 * progress.
 */
@FunctionalInterface
public interface HttpHandler {
    void handle(ApiRequest request, ResponseSink response);

    /**
     * Whether {@code request} is answered at once from memory, with little work and nothing that blocks, so it may be
     * served on the event loop that read it: for such a request the hand-off to a worker and of its answer back (two
     * thread wake-ups) cost more than the request itself. Default: no.
     */
    default boolean servesInline(ApiRequest request) {
        return false;
    }

    /**
     * Whether {@code request} may be served on the event loop that read it when no other request of that loop is in
     * progress: its work may block briefly (a store write: an fsync, or etcd's round trip) but never waits on an
     * event loop, on any other remote party, or for long, and its answer is one object, not a stream. Nobody else is kept waiting then but a
     * request that arrives on another of the loop's connections meanwhile (for this request's time at most, as it
     * would wait for a worker under load), while the hand-off to a worker and back - two thread wake-ups, ~0.1 ms
     * on a VM - is most of a lone client's round trip. Default: no.
     */
    default boolean servesOnQuietLoop(ApiRequest request) {
        return false;
    }
}
