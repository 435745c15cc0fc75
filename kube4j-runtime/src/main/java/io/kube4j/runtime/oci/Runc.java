package io.kube4j.runtime.oci;

import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.Commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runc command line, with kube4j's own state directory. */
public final class Runc {
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
