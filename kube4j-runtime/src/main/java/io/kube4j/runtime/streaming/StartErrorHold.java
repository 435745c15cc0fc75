package io.kube4j.runtime.streaming;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Holds back the start of an exec's output while it may be runc's own error line ({@code exec failed: ...}, which
 * runc prints to the stdio it would have given the command), so that a start failure reaches the client once, in
 * upstream's words ({@link RuncExecFailure}), rather than as runc's raw line too. Output that does not begin so passes
 * at once; output that does (a command printing those words first) is only delayed until the exec ends.
 */
final class StartErrorHold implements ExecCommand.Sink {
    private static final byte[] PREFIX = RuncExecFailure.PREFIX.getBytes(StandardCharsets.US_ASCII);
    /** runc's line is one error message; more than this is the command's output. */
    private static final int MAX_HELD = 8192;

    private final ExecCommand.Sink out;
    private ByteArrayOutputStream held = new ByteArrayOutputStream();

    StartErrorHold(ExecCommand.Sink out) {
        this.out = out;
    }

    @Override
    public synchronized void write(byte[] data, int length) {
        if (held == null) {
            out.write(data, length);
            return;
        }
        held.write(data, 0, length);
        byte[] start = held.toByteArray();
        int n = Math.min(start.length, PREFIX.length);
        if (!Arrays.equals(start, 0, n, PREFIX, 0, n) || start.length > MAX_HELD) {
            release();
        }
    }

    /** The exec ran the command: what was held is its output. */
    synchronized void release() {
        if (held != null) {
            byte[] start = held.toByteArray();
            held = null;
            if (start.length > 0) {
                out.write(start, start.length);
            }
        }
    }

    /** The exec failed to start: what was held is runc's line, told otherwise. */
    synchronized void discard() {
        held = null;
    }
}
