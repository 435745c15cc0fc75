package io.kube4j.apiserver.http;

import java.util.Map;
import java.util.Optional;

/**
 * Where a handler writes its answer: once as a whole ({@link #send}) or as a stream of chunks
 * ({@link #stream}) for watches. Implementations are safe to call from any thread. Exactly one of the two
 * must be called per request.
 */
public interface ResponseSink {

    void send(int status, String contentType, byte[] body, Map<String, String> headers);

    default void send(int status, String contentType, byte[] body) {
        send(status, contentType, body, Map.of());
    }

    StreamWriter stream(int status, String contentType, Map<String, String> headers);

    /**
     * The connection itself, for a handler that answers by switching protocols instead of calling
     * {@link #send} or {@link #stream}; empty where the transport cannot hand it over (HTTP/2). A sink that wraps
     * another should pass this through.
     */
    default Optional<RawConnection> rawConnection() {
        return Optional.empty();
    }

    /** A chunked response in progress. */
    interface StreamWriter {
        /**
         * Queues a chunk. Returns false if the client is gone or too far behind; the stream should then be
         * ended by the producer.
         */
        boolean write(byte[] chunk);

        /** Ends the response; the connection can serve the next request. Idempotent. */
        void end();

        boolean isOpen();

        /** Runs {@code action} once when the client goes away or the stream ends. */
        void onClose(Runnable action);
    }
}
