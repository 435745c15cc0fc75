package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.metrics.InflightWatermark;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Passes a response through and reports its status code twice: when the response starts (its status is sent), and
 * once when it is over - sent whole, a body or stream ended, or a switched connection (101) closed. It also holds the
 * request's place in an in-flight gauge ({@link #countInflight}) and gives it back at the same moments.
 */
final class MeteredSink implements ResponseSink {

    /** A switched connection's status: it answered the request by switching protocols. */
    private static final int SWITCHING_PROTOCOLS = 101;
    private static final VarHandle INFLIGHT;

    static {
        try {
            INFLIGHT = MethodHandles.lookup().findVarHandle(MeteredSink.class, "inflight", InflightWatermark.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ResponseSink delegate;
    private final IntConsumer onStarted;
    private final IntConsumer onDone;
    private final AtomicBoolean answered = new AtomicBoolean();
    /**
     * The gauge the request is counted in until it is given back (then null), taken by {@link #INFLIGHT}'s
     * getAndSet: a field, not an object per request.
     */
    private volatile InflightWatermark inflight;
    /** Given back when the response starts (a watch) rather than when it ends. */
    private volatile boolean inflightUntilStarted;

    MeteredSink(ResponseSink delegate, IntConsumer onStarted, IntConsumer onDone) {
        this.delegate = delegate;
        this.onStarted = onStarted;
        this.onDone = onDone;
    }

    boolean answered() {
        return answered.get();
    }

    /**
     * Counts the request in {@code gauge} from now until its response ends, or only until it starts when
     * {@code untilStarted} (a watch executes while it starts, as upstream's priority and fairness counts it). Given
     * back exactly once, whichever way the response ends: sent, a body closed or aborted (the client gone), a stream
     * or a switched connection closed.
     */
    void countInflight(InflightWatermark gauge, boolean untilStarted) {
        inflightUntilStarted = untilStarted;
        gauge.enter();
        inflight = gauge;
    }

    private void started(int status) {
        if (inflightUntilStarted) {
            giveBackInflight();
        }
        onStarted.accept(status);
    }

    private void done(int status) {
        giveBackInflight();
        onDone.accept(status);
    }

    private void giveBackInflight() {
        InflightWatermark gauge = (InflightWatermark) INFLIGHT.getAndSet(this, null);
        if (gauge != null) {
            gauge.exit();
        }
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        delegate.send(status, contentType, body, headers);
        answered.set(true);
        started(status);
        done(status);
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
            started(SWITCHING_PROTOCOLS);
        }, () -> done(SWITCHING_PROTOCOLS)));
    }

    private BodyWriter metered(BodyWriter writer, int status) {
        answered.set(true);
        started(status);
        return new BodyWriter() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                writer.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                writer.flush();
            }

            // the response is over even if ending it fails (the client went away meanwhile)
            @Override
            public void close() {
                try {
                    writer.close();
                } finally {
                    done(status);
                }
            }

            @Override
            public void abort() {
                try {
                    writer.abort();
                } finally {
                    done(status);
                }
            }
        };
    }

    @Override
    public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
        StreamWriter writer = delegate.stream(status, contentType, headers);
        answered.set(true);
        started(status);
        writer.onClose(() -> done(status));
        return writer;
    }
}
