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

    /**
     * The launcher, as a user starts an agent: it runs the jar named by KUBE4J_JAR with the product's JVM options for
     * the agent (bin/jvm/agent.options: C1 only, a small heap), which also start it with less CPU than C2 would.
     */
    private static final Path LAUNCHER = Path.of("..", "bin", "kube4j").toAbsolutePath().normalize();

    static List<String> command(Path dataDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString(), "agent", "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The launcher runs the jar under test and never builds one (KUBE4J_JAR). */
    private static ProcessBuilder launch(List<String> cmd) {
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().put("KUBE4J_JAR", Kube4jServer.jar().toString());
        return builder;
    }

    static AgentProcess start(AgentNetns netns, Path dataDir, String... args) {
        List<String> cmd = command(dataDir, args);
        try {
            Files.createDirectories(dataDir);
            Process p = launch(netns == null ? cmd : netns.exec(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("agent.log").toFile())).start();
            return new AgentProcess(dataDir, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs an agent that is expected to stop by itself; returns its exit code and output. */
    static Kubectl.Result runToExit(Path dataDir, String... args) {
        try {
            Process p = launch(command(dataDir, args)).redirectErrorStream(true).start();
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
