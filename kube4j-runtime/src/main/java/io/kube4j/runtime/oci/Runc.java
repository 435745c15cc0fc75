package io.kube4j.runtime.oci;

import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.Commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runc command line, with kube4j's own state directory. */
public final class Runc {
    /** runc 1.x's name for the FIFO that holds a created container's init before its exec. */
    static final String EXEC_FIFO = "exec.fifo";

    private final String binary;
    private final Path stateDir;

    public Runc(String binary, Path stateDir) {
        this.binary = binary;
        this.stateDir = stateDir;
    }

    public String binary() {
        return binary;
    }

    public Path stateDir() {
        return stateDir;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary, "--root", stateDir.toString()));
        command.addAll(List.of(args));
        return command;
    }

    public void start(String id) {
        Commands.check(command("start", id));
    }

    /**
     * Lets a created container run, as {@code runc start} does but without spawning runc (about 10 ms
     * here): runc's init waits until someone opens and reads its exec FIFO, then execs the container's
     * process; removing the FIFO is what makes runc report the container as running. Falls back to
     * {@code runc start} when there is no FIFO, so that runc gives its own error. There are no
     * poststart hooks in kube4j's specs, which runc start would otherwise run.
     */
    public void start(String id, long initPid) {
        Path fifo = stateDir.resolve(id).resolve(EXEC_FIFO);
        if (initPid <= 0 || !Files.exists(fifo)) {
            start(id);
            return;
        }
        ExecFifo.release(fifo, initPid);
    }

    /** Sends a signal to the container's init; false when it is already gone. */
    public boolean kill(String id, String signal, boolean all) {
        List<String> command = all ? command("kill", "--all", id, signal) : command("kill", id, signal);
        return Commands.run(command).succeeded();
    }

    public void delete(String id) {
        CommandResult result = Commands.run(command("delete", "--force", id));
        if (!result.succeeded() && !result.stderrText().contains("does not exist")) {
            throw new IllegalStateException("runc delete " + id + " failed: " + result.stderrText());
        }
    }

    /**
     * Runs a command inside the running container; the time limit applies when positive. On timeout
     * the command itself is killed too: killing runc alone would leave it running in the container.
     */
    public CommandResult exec(String id, List<String> cmd, Duration timeout, Path pidFile) {
        List<String> command = command("exec", "--pid-file", pidFile.toString(), id);
        command.addAll(cmd);
        try {
            CommandResult result = Commands.run(command, null, Map.of(), timeout);
            if (result.timedOut()) {
                try {
                    long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                } catch (java.io.IOException | NumberFormatException ignored) {
                    // never started
                }
            }
            return result;
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(pidFile);
            } catch (java.io.IOException ignored) {
                // a stale pid file is harmless
            }
        }
    }

    public void update(String id, List<String> flags) {
        List<String> command = command("update");
        command.addAll(flags);
        command.add(id);
        Commands.check(command);
    }
}
