package io.kube4j.store.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real etcd members (Debian's /usr/bin/etcd) for tests: own temp data dirs, free loopback ports, fast Raft
 * timings (heartbeat 10 ms, election 100 ms). Tests call {@link #startSingle()} or {@link #startCluster}, and
 * {@link #stop()} when done. Skips the calling test (an assumption) only when etcd is not installed.
 */
public final class EtcdProcess implements AutoCloseable {
    public static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);

    private final List<Member> members;
    private final Path baseDir;

    private record Member(String name, int clientPort, int peerPort, Path dataDir, Process process,
                          String initialCluster, String clusterToken) {
        URI clientUrl() {
            return URI.create("http://127.0.0.1:" + clientPort);
        }
    }

    private EtcdProcess(Path baseDir, List<Member> members) {
        this.baseDir = baseDir;
        this.members = members;
    }

    public static EtcdProcess startSingle() {
        return startCluster(1);
    }

    /** Starts {@code size} members forming one cluster and waits until every one reports healthy. */
    public static EtcdProcess startCluster(int size) {
        Assumptions.assumeTrue(Files.isExecutable(ETCD), () -> {
            String reason = "skipped: " + ETCD + " is not installed (Debian package etcd-server; run bin/setup)";
            System.out.println(reason);
            return reason;
        });
        Path base;
        try {
            base = Files.createTempDirectory("kube4j-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {freePort(), freePort()});
        }
        String initialCluster = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> "m" + i + "=http://127.0.0.1:" + ports.get(i)[1])
                .collect(Collectors.joining(","));
        List<Member> members = new ArrayList<>();
        EtcdProcess etcd = new EtcdProcess(base, members);
        try {
            for (int i = 0; i < size; i++) {
                members.add(launch("m" + i, ports.get(i)[0], ports.get(i)[1], base.resolve("m" + i), initialCluster,
                        "kube4j-test-" + ports.get(0)[1]));
            }
            for (Member m : members) {
                etcd.awaitHealthy(m);
            }
        } catch (RuntimeException | Error e) {
            etcd.stop();
            throw e;
        }
        return etcd;
    }

    private static Member launch(String name, int clientPort, int peerPort, Path dataDir, String initialCluster,
                                 String clusterToken) {
        try {
            Files.createDirectories(dataDir);
            String client = "http://127.0.0.1:" + clientPort;
            String peer = "http://127.0.0.1:" + peerPort;
            ProcessBuilder pb = new ProcessBuilder(ETCD.toString(),
                    "--name", name,
                    "--data-dir", dataDir.resolve("data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initialCluster,
                    "--initial-cluster-state", "new",
                    "--initial-cluster-token", clusterToken,
                    "--heartbeat-interval=10", "--election-timeout=100",
                    // Frequent progress notifications (bookmarks) so tests can see them; etcd's default is 10 min.
                    "--experimental-watch-progress-notify-interval=200ms",
                    "--log-level=warn", "--logger=zap")
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("etcd.log").toFile());
            pb.environment().remove("ETCDCTL_API");
            Process process = pb.start();
            // A test JVM that dies without stop() must not leave etcd running.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-etcd-" + name));
            return new Member(name, clientPort, peerPort, dataDir, process, initialCluster, clusterToken);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + ETCD, e);
        }
    }

    private void awaitHealthy(Member m) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!m.process().isAlive()) {
                throw new IllegalStateException("etcd " + m.name() + " exited with " + m.process().exitValue()
                        + ": " + tail(m.dataDir().resolve("etcd.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(m.clientUrl().resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
            sleep(50);
        }
        throw new IllegalStateException("etcd " + m.name() + " not healthy within " + HEALTHY_WITHIN.toSeconds()
                + "s (" + last + "): " + tail(m.dataDir().resolve("etcd.log")));
    }

    /** Client URLs of every member, as {@code EtcdStore.connect} takes them. */
    public List<URI> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    /** {@code etcd://127.0.0.1:p1,...} as the --store flag takes it. */
    public String storeSpec() {
        return "etcd://" + members.stream().map(m -> "127.0.0.1:" + m.clientPort()).collect(Collectors.joining(","));
    }

    public int size() {
        return members.size();
    }

    /** Kills member {@code index} (SIGKILL), for failover tests. */
    public void kill(int index) {
        Process p = members.get(index).process();
        p.destroyForcibly();
        waitFor(p);
    }

    /** Kills member {@code index} and starts it again on the same ports and data; waits until it is healthy. */
    public void restart(int index) {
        Member old = members.get(index);
        kill(index);
        Member again = launch(old.name(), old.clientPort(), old.peerPort(), old.dataDir(), old.initialCluster(),
                old.clusterToken());
        members.set(index, again);
        awaitHealthy(again);
    }

    /** Kills every member and deletes their data. */
    public void stop() {
        for (Member m : members) {
            m.process().destroyForcibly();
        }
        for (Member m : members) {
            waitFor(m.process());
        }
        deleteTree(baseDir);
    }

    @Override
    public void close() {
        stop();
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir is harmless.
        }
    }
}
