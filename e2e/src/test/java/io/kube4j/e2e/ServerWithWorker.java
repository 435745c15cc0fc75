package io.kube4j.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kube4j server} with its local worker and any flags ({@link Kube4jServer#withAgent} takes none): the first
 * node of a multi-node cluster, in the host's network namespace.
 */
final class ServerWithWorker implements AutoCloseable {
    private final Path dataDir;
    private final int port = Ports.free();
    private Process process;

    ServerWithWorker(Path dataDir) {
        this.dataDir = dataDir;
    }

    ServerWithWorker start(String... flags) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-jar", Kube4jServer.jar().toString(),
                "server", "--data-dir", dataDir.toString(), "--port", String.valueOf(port),
                "--kubelet-port", String.valueOf(Ports.free())));
        cmd.addAll(List.of(flags));
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        Kubectl kubectl = kubectl(dataDir.resolve("readiness-cache"));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kube4j server exited with " + process.exitValue() + ": " + log());
            }
            if (Files.exists(kubeconfig()) && kubectl.run("get", "--raw", "/readyz").stdout().strip().equals("ok")) {
                return this;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("kube4j server not ready in time: " + log());
    }

    Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    Kubectl kubectl(Path cacheDir) {
        return new Kubectl(Kubectl.DISPATCHER, kubeconfig(), cacheDir);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String log() {
        try {
            return Files.readString(dataDir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
