package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.http.ResponseSink;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Passes a response through and reports its status code twice: when the response starts (its status is sent), and
 * once when it is over - sent whole, a body or stream ended, or a switched connection (101) closed.
 */
final class MeteredSink implements ResponseSink {

    /** A switched connection's status: it answered the request by switching protocols. */
    private static final int SWITCHING_PROTOCOLS = 101;

    private final ResponseSink delegate;
    private final IntConsumer onStarted;
    private final IntConsumer onDone;
    private final AtomicBoolean answered = new AtomicBoolean();

    MeteredSink(ResponseSink delegate, IntConsumer onStarted, IntConsumer onDone) {
        this.delegate = delegate;
        this.onStarted = onStarted;
        this.onDone = onDone;
    }

    boolean answered() {
        return answered.get();
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        delegate.send(status, contentType, body, headers);
        answered.set(true);
        onStarted.accept(status);
        onDone.accept(status);
    }

    @Override
    public BodyWriter body(int status, String contentType, Map<String, String> headers) {
        return metered(delegate.body(status, contentType, headers), status);
    }

    @Override
    public BodyWriter body(int status, String contentType, List<Map.Entry<String, String>> headerLines) {
        return metered(delegate.body(status, contentType, headerLines), status);
    }

    /**
     * A protocol switch takes the connection over: the switch is the response's start, and the switched connection's
     * end is the request's end, as upstream counts a hijacked request when its handler returns.
     */
    @Override
    public Optional<RawConnection> rawConnection() {
        return delegate.rawConnection().map(connection -> connection.observed(() -> {
            answered.set(true);
            onStarted.accept(SWITCHING_PROTOCOLS);
        }, () -> onDone.accept(SWITCHING_PROTOCOLS)));
    }

    private BodyWriter metered(BodyWriter writer, int status) {
        answered.set(true);
        onStarted.accept(status);
        return new BodyWriter() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                writer.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                writer.flush();
            }

            @Override
            public void close() {
                writer.close();
                onDone.accept(status);
            }

            @Override
            public void abort() {
                writer.abort();
                onDone.accept(status);
            }
        };
    }

    @Override
    public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
        StreamWriter writer = delegate.stream(status, contentType, headers);
        answered.set(true);
        onStarted.accept(status);
        writer.onClose(() -> onDone.accept(status));
        return writer;
    }
}
