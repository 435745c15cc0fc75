package io.kube4j.apiserver.http;

/** The application side of the HTTP server; called on a worker thread, never on the event loop. */
@FunctionalInterface
public interface HttpHandler {
    void handle(ApiRequest request, ResponseSink response);
}
