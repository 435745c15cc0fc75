package io.kube4j.runtime.util;

import java.nio.charset.StandardCharsets;

/** What a finished external command left behind. */
public record CommandResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8).trim();
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
