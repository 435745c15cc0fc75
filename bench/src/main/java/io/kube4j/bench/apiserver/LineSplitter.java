package io.kube4j.bench.apiserver;

import java.util.Arrays;

/**
 * Splits a byte stream into newline-terminated lines (a watch body: one JSON event a line), handing each line on
 * in place when it lies within one piece of input and copying only a line split across pieces. With
 * {@link KnownLines}, a line that starts at a line boundary is first offered whole to it, which may recognise and
 * consume it without this class scanning its bytes for the newline.
 */
final class LineSplitter {
    /** One complete line {@code buf[off, off + len)} without its line end; valid only during the call. */
    interface LineSink {
        void line(byte[] buf, int off, int len);
    }

    /** Recognises an expected line at the start of the input. */
    interface KnownLines {
        /**
         * If {@code buf[off, off + available)} starts with a complete line it expected (followed by its newline),
         * consumes it and returns its length without the newline; otherwise returns -1 and consumes nothing.
         */
        int consume(byte[] buf, int off, int available);
    }

    private final LineSink sink;
    private final KnownLines known;
    private byte[] pending = new byte[8192];
    private int pendingLength;

    LineSplitter(LineSink sink) {
        this(sink, null);
    }

    LineSplitter(LineSink sink, KnownLines known) {
        this.sink = sink;
        this.known = known;
    }

    void feed(byte[] buf, int off, int len) {
        int end = off + len;
        int p = off;
        while (p < end) {
            if (pendingLength == 0 && known != null) {
                int n = known.consume(buf, p, end - p);
                if (n >= 0) {
                    p += n + 1;
                    continue;
                }
            }
            int nl = p;
            while (nl < end && buf[nl] != '\n') {
                nl++;
            }
            if (nl == end) {
                append(buf, p, end - p);
                return;
            }
            if (pendingLength == 0) {
                emit(buf, p, nl - p);
            } else {
                append(buf, p, nl - p);
                emit(pending, 0, pendingLength);
                pendingLength = 0;
            }
            p = nl + 1;
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
