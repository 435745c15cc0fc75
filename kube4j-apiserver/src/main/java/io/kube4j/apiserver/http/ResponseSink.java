package io.kube4j.apiserver.http;

import java.util.LinkedHashMap;
import java.util.List;
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
     * A body written in pieces, whose length is not known up front (a large list): sent whole when it turns out
     * small, streamed as it is written otherwise. This default collects it and calls {@link #send}; a transport
     * sink streams it.
     */
    default BodyWriter body(int status, String contentType, Map<String, String> headers) {
        return new BufferedBodyWriter(body -> send(status, contentType, body, headers));
    }

    /**
     * As {@link #body(int, String, Map)}, with header lines in which a name may repeat, each line sent as given: a
     * proxied backend's two Set-Cookie lines cannot be joined into one. A line replaces what the sink would set
     * under its name; this default, for sinks without a wire, joins repeated names with a comma.
     */
    default BodyWriter body(int status, String contentType, List<Map.Entry<String, String>> headerLines) {
        Map<String, String> joined = new LinkedHashMap<>();
        headerLines.forEach(line -> joined.merge(line.getKey(), line.getValue(), (a, b) -> a + ", " + b));
        return body(status, contentType, joined);
    }

    /**
     * The connection itself, for a handler that answers by switching protocols instead of calling
     * {@link #send} or {@link #stream}; empty where the transport cannot hand it over (HTTP/2). A sink that wraps
     * another should pass this through.
     */
    default Optional<RawConnection> rawConnection() {
        return Optional.empty();
    }

    /** A response body in progress; exactly one of {@link #close} and {@link #abort} ends it. */
    interface BodyWriter {
        /**
         * Appends bytes, copied or sent before this returns, so the caller may reuse the array. May block while the
         * client is behind; throws IllegalStateException once the client is gone.
         */
        void write(byte[] bytes, int offset, int length);

        default void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        /**
         * Sends what was written so far instead of holding it for a fuller chunk (a proxied event stream); a body
         * still small enough to be sent whole goes out chunked from here on. Does nothing where nothing streams.
         */
        default void flush() {
        }

        /** Completes the response. */
        void close();

        /** Ends the response as broken (the connection or stream is reset), so that no client takes it as whole. */
        void abort();
    }

    /** A chunked response in progress. */
    interface StreamWriter {
        /**
         * Queues a chunk. Returns false if the client is gone or too far behind; the stream should then be
         * ended by the producer.
         */
        boolean write(byte[] chunk);

        /**
         * Queues one chunk made of {@code parts} in order, without joining them first: a watch event's encoded
         * object is shared by every watcher between its own line prefix and suffix. The arrays must not change.
         */
        default boolean writeParts(byte[]... parts) {
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] joined = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, joined, at, part.length);
                at += part.length;
            }
            return write(joined);
        }

        /**
         * Queues one chunk of bytes that other streams send too (a watch event's line): a transport sends it from
         * one shared copy, framed once, instead of copying or framing it per stream. Returns as {@link #write}.
         */
        default boolean writeShared(SharedBytes line) {
            return write(line.bytes());
        }

        /** Ends the response; the connection can serve the next request. Idempotent. */
        void end();

        boolean isOpen();

        /** Runs {@code action} once when the client goes away or the stream ends. */
        void onClose(Runnable action);
    }
}
