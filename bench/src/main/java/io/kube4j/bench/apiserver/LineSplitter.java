package io.kube4j.bench.apiserver;

import java.util.Arrays;

/**
 * Splits a byte stream into newline-terminated lines (a watch body: one JSON event a line), handing each line on
 * in place when it lies within one piece of input and copying only a line split across pieces.
 */
final class LineSplitter {
    /** One complete line {@code buf[off, off + len)} without its line end; valid only during the call. */
    interface LineSink {
        void line(byte[] buf, int off, int len);
    }

    private final LineSink sink;
    private byte[] pending = new byte[8192];
    private int pendingLength;

    LineSplitter(LineSink sink) {
        this.sink = sink;
    }

    void feed(byte[] buf, int off, int len) {
        int end = off + len;
        int start = off;
        for (int p = off; p < end; p++) {
            if (buf[p] != '\n') {
                continue;
            }
            if (pendingLength == 0) {
                emit(buf, start, p - start);
            } else {
                append(buf, start, p - start);
                emit(pending, 0, pendingLength);
                pendingLength = 0;
            }
            start = p + 1;
        }
        if (start < end) {
            append(buf, start, end - start);
        }
    }

    /** Bytes of an unfinished line held back. */
    int pending() {
        return pendingLength;
    }

    private void emit(byte[] buf, int off, int len) {
        if (len > 0 && buf[off + len - 1] == '\r') {
            len--;
        }
        sink.line(buf, off, len);
    }

    private void append(byte[] buf, int off, int len) {
        if (pendingLength + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
        }
        System.arraycopy(buf, off, pending, pendingLength, len);
        pendingLength += len;
    }
}
