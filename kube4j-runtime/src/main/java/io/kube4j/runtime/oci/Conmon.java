package io.kube4j.runtime.oci;

import io.kube4j.runtime.util.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's conmon, used as CRI-O uses it: it runs {@code runc create}, daemonizes, holds the
 * container's stdio, writes the CRI log file and, when the container exits, the exit code file.
 * It outlives the runtime, which is what keeps exit codes across a runtime restart.
 */
public final class Conmon {
    /** Written by conmon into the container directory when the container exits. */
    public static final String EXIT_FILE = "exit";
    /** Written by conmon when the cgroup OOM killer fired. */
    public static final String OOM_FILE = "oom";

    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    private final String binary;
    private final Runc runc;

    public Conmon(String binary, Runc runc) {
        this.binary = binary;
        this.runc = runc;
    }

    /**
     * Creates the container (runc create under conmon) and returns when it exists, paused before
     * its process runs: {@link Runc#start} lets it go.
     */
    public void create(String id, Path bundle, Path stateDir, Path logPath, long logSizeMax, boolean stdin, boolean stdinOnce,
                       boolean tty) {
        List<String> command = new ArrayList<>(List.of(binary,
                "--api-version", "1",
                "-c", id, "-u", id, "-n", id,
                "-r", runc.binary(),
                // As containerd does: a session keyring per container is a syscall-heavy step nobody here uses.
                "--no-new-keyring",
                "--runtime-arg", "--root=" + runc.stateDir(),
                "--runtime-arg", "--log=" + stateDir.resolve("runc.log"),
                "--runtime-arg", "--log-format=json",
                "-b", bundle.toString(),
                "-p", stateDir.resolve("pid").toString(),
                "-P", stateDir.resolve("conmon.pid").toString(),
                "--exit-dir", stateDir.toString(),
                "-0", stateDir.toString(),
                "--socket-dir-path", stateDir.resolve("sockets").toString(),
                "-l", "k8s-file:" + logPath,
                "--log-level", "error"));
        if (logSizeMax > 0) {
            command.addAll(List.of("--log-size-max", Long.toString(logSizeMax)));
        }
        if (stdin) {
            command.add("-i");
            // Without it conmon closes the container's stdin when an attached client leaves: that is StdinOnce.
            if (!stdinOnce) {
                command.add("--leave-stdin-open");
            }
        }
        if (tty) {
            command.add("-t");
        }
        try {
            Files.createDirectories(stateDir.resolve("sockets"));
            // The monitor daemonizes and keeps its stdio: never a pipe to us, or we would wait for it to exit.
            Path conmonLog = stateDir.resolve("conmon.log");
            // conmon writes its "oom" marker into its working directory.
            Process process = new ProcessBuilder(command)
                    .directory(stateDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(conmonLog.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(conmonLog.toFile()))
                    .start();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("container monitor did not start within 60s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("cannot create container: " + cleanUp(Files.readString(conmonLog)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start conmon: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting conmon", e);
        }
        awaitCreated(stateDir);
    }

    /**
     * conmon's first process returns as soon as the monitor is forked, before runc create is done:
     * the container exists once runc wrote its pid file, and failed if the monitor is gone first.
     */
    private static void awaitCreated(Path stateDir) {
        Path pidFile = stateDir.resolve("pid");
        long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
        // Polled at 1 ms, then less often up to every 16 ms: a runc create takes 100 ms on a quiet node and seconds when
        // many run at once, and 20 creates polling every 2 ms burnt the CPU those runc processes were waiting for.
        long pause = 1;
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                return;
            }
            if (!monitorAlive(stateDir) && !Files.exists(pidFile)) {
                throw new IllegalStateException("cannot create container: " + runcError(stateDir));
            }
            try {
                Thread.sleep(pause);
                pause = Math.min(16, pause * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating a container", e);
            }
        }
        throw new IllegalStateException("container was not created within " + CREATE_TIMEOUT.toSeconds() + "s");
    }

    private static boolean monitorAlive(Path stateDir) {
        try {
            String pid = Files.readString(stateDir.resolve("conmon.pid")).trim();
            return Files.exists(Path.of("/proc", pid));
        } catch (IOException e) {
            // not written yet: still starting
            return true;
        }
    }

    /** The last error runc logged (its log is JSON lines with "level" and "msg"). */
    private static String runcError(Path stateDir) {
        try {
            List<String> lines = Files.readAllLines(stateDir.resolve("runc.log"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                JsonNode line = Json.parse(lines.get(i).getBytes(StandardCharsets.UTF_8));
                if (line.path("level").asString("").equals("error")) {
                    return line.path("msg").asString("");
                }
            }
        } catch (IOException | RuntimeException e) {
            return "the container monitor exited (no runc log)";
        }
        return "the container monitor exited";
    }

    private static String cleanUp(String message) {
        return message.replace("[conmon:e]: ", "").replaceAll("\\s+", " ");
    }

    /** conmon's attach socket (SOCK_SEQPACKET): it binds it in the bundle directory. */
    public static Path attachSocket(Path bundle) {
        return bundle.resolve("attach");
    }

    /** Resizes the container's terminal through conmon's control FIFO. */
    public static void resize(Path bundle, int width, int height) throws IOException {
        Path ctl = bundle.resolve("ctl");
        if (!Files.exists(ctl)) {
            throw new IOException("container monitor control pipe " + ctl + " is gone");
        }
        // Message type 1 is a resize: "1 HEIGHT WIDTH".
        Files.write(ctl, ("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Asks conmon to reopen the log file (after the kubelet rotated it). */
    public static void reopenLog(Path bundle) throws IOException {
        Path ctl = bundle.resolve("ctl");
        if (!Files.exists(ctl)) {
            throw new IOException("container monitor control pipe " + ctl + " is gone");
        }
        // conmon's control messages are "TYPE HEIGHT WIDTH"; type 2 reopens the log files.
        Files.write(ctl, "2 0 0\n".getBytes(StandardCharsets.US_ASCII));
    }
}
