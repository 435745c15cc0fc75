package io.kube4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-member etcd (Debian's /usr/bin/etcd) for benchmarks: temp data dir, free loopback ports, and
 * etcd's default Raft timings and durability (an fsync per commit), so figures compare with a stock etcd.
 */
public final class EtcdLauncher implements AutoCloseable {
    public static final Path ETCD = Path.of("/usr/bin/etcd");

    private final Process process;
    private final Path dir;
    private final URI clientUrl;

    private EtcdLauncher(Process process, Path dir, URI clientUrl) {
        this.process = process;
        this.dir = dir;
        this.clientUrl = clientUrl;
    }

    public static EtcdLauncher start() {
        if (!Files.isExecutable(ETCD)) {
            throw new IllegalStateException(ETCD + " is not installed: install the Debian package etcd-server (bin/setup)");
        }
        try {
            Path dir = Files.createTempDirectory("kube4j-bench-etcd-");
            int clientPort = freePort();
            int peerPort = freePort();
            String client = "http://127.0.0.1:" + clientPort;
            String peer = "http://127.0.0.1:" + peerPort;
            Process p = new ProcessBuilder(ETCD.toString(), "--name", "bench",
                    "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "bench=" + peer, "--log-level=warn", "--logger=zap")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
            // A bench that is interrupted (Ctrl-C) must not leave etcd running.
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-etcd"));
            EtcdLauncher etcd = new EtcdLauncher(p, dir, URI.create(client));
            etcd.awaitHealthy();
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + ETCD, e);
        }
    }

    public List<URI> endpoints() {
        return List.of(clientUrl);
    }

    public Path dataDir() {
        return dir;
    }

    /** What {@code etcd --version} says first, e.g. "etcd Version: 3.4.23". */
    public static String version() {
        try {
            Process p = new ProcessBuilder(ETCD.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(5, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("etcd (unknown version)").trim();
        } catch (IOException e) {
            return "etcd (unknown version)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "etcd (unknown version)";
        }
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dir.resolve("etcd.log"));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(clientUrl.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
        }
        close();
        throw new IllegalStateException("etcd did not become healthy within 30s");
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTreeQuietly(dir);
    }

    public static void deleteTreeQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is harmless.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
