package io.kube4j.apiserver.http;

/**
 * The application side of the HTTP server; called on a worker thread, or on the event loop for a request
 * {@link #servesInline} accepts.
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
}
