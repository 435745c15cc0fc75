package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.http.ResponseSink;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/** Passes a response through and reports its status code once: when sent, or when a stream ends. */
final class MeteredSink implements ResponseSink {

    private final ResponseSink delegate;
    private final IntConsumer onDone;
    private final AtomicBoolean answered = new AtomicBoolean();

    MeteredSink(ResponseSink delegate, IntConsumer onDone) {
        this.delegate = delegate;
        this.onDone = onDone;
    }

    boolean answered() {
        return answered.get();
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        delegate.send(status, contentType, body, headers);
        answered.set(true);
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

    /** A proxy's protocol switch takes the connection over; the metric of a switched connection is not recorded. */
    @Override
    public Optional<RawConnection> rawConnection() {
        return delegate.rawConnection();
    }

    private BodyWriter metered(BodyWriter writer, int status) {
        answered.set(true);
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
        writer.onClose(() -> onDone.accept(status));
        return writer;
    }
}
