package io.kube4j.apiserver.http;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/** A body collected in memory and handed over whole on close: for sinks that cannot stream. */
final class BufferedBodyWriter implements ResponseSink.BodyWriter {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Consumer<byte[]> onClose;
    private boolean ended;

    BufferedBodyWriter(Consumer<byte[]> onClose) {
        this.onClose = onClose;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("the body is complete");
        }
        body.write(bytes, offset, length);
    }

    @Override
    public void close() {
        if (!ended) {
            ended = true;
            onClose.accept(body.toByteArray());
        }
    }

    @Override
    public void abort() {
        // nothing was sent: dropping the collected bytes is enough
        ended = true;
    }
}
