package io.kube4j.runtime.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs external programs with captured output, optional stdin and a time limit. */
public final class Commands {
    /** Upstream caps ExecSync output at 16 MiB per stream (CVE-2022-1708). */
    public static final int OUTPUT_CAP = 16 * 1024 * 1024;

    private static final ExecutorService READERS = IdlePools.named("command-output");

    private Commands() {
    }

    /** Runs and throws {@link CommandFailedException} unless the exit code is 0. */
    public static CommandResult check(List<String> command) {
        return check(command, null, Map.of(), Duration.ofMinutes(2));
    }

    public static CommandResult check(List<String> command, byte[] stdin, Map<String, String> env, Duration timeout) {
        CommandResult result = run(command, stdin, env, timeout);
        if (!result.succeeded()) {
            throw new CommandFailedException(command, result);
        }
        return result;
    }

    public static CommandResult run(List<String> command) {
        return run(command, null, Map.of(), Duration.ofMinutes(2));
    }

    /** A null or zero timeout means no limit. */
    public static CommandResult run(List<String> command, byte[] stdin, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), READERS);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), READERS);
        if (stdin != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the program may exit without reading its input
            }
        }
        boolean timedOut = false;
        try {
            if (timeout == null || timeout.isZero()) {
                process.waitFor();
            } else if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                process.destroyForcibly();
                process.waitFor();
            }
            return new CommandResult(process.exitValue(), out.join(), err.join(), timedOut);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static byte[] drain(InputStream in) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                int room = OUTPUT_CAP - buffer.size();
                if (room > 0) {
                    buffer.write(chunk, 0, Math.min(n, room));
                }
            }
        } catch (IOException ignored) {
            // the stream closes when the process dies
        }
        return buffer.toByteArray();
    }
}
