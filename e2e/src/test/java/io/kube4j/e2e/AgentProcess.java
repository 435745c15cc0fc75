package io.kube4j.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code kube4j agent} process (optionally inside an {@link AgentNetns}), its output in DIR/agent.log. */
final class AgentProcess implements AutoCloseable {
    private final Path dataDir;
    private final Process process;

    private AgentProcess(Path dataDir, Process process) {
        this.dataDir = dataDir;
        this.process = process;
    }

    static List<String> command(Path dataDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", Kube4jServer.jar().toString(), "agent",
                "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static AgentProcess start(AgentNetns netns, Path dataDir, String... args) {
        List<String> cmd = command(dataDir, args);
        try {
            Files.createDirectories(dataDir);
            Process p = new ProcessBuilder(netns == null ? cmd : netns.exec(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("agent.log").toFile())).start();
            return new AgentProcess(dataDir, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs an agent that is expected to stop by itself; returns its exit code and output. */
    static Kubectl.Result runToExit(Path dataDir, String... args) {
        try {
            Process p = new ProcessBuilder(command(dataDir, args)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("agent did not exit: " + out);
            }
            return new Kubectl.Result(p.exitValue(), out, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(dataDir.resolve("agent.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM: the agent stops its pods' workers and components. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
