package io.kube4j.apiserver.http;

import java.util.Map;

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
