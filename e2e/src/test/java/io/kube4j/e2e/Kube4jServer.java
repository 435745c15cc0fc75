package io.kube4j.e2e;

import io.kube4j.host.cgroup.Cgroups;

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
 * A kube4j server as a real process: the shaded jar, started the way bin/kube4j starts it, on a free port,
 * with its own data directory. Can be killed with SIGKILL and started again on the same directory.
 */
public final class Kube4jServer implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private final boolean withAgent;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> addedFlags = new ArrayList<>();

    public Kube4jServer(Path dataDir, String... extraArgs) {
        this(dataDir, false, extraArgs);
    }

    private Kube4jServer(Path dataDir, boolean withAgent, String... extraArgs) {
        this.dataDir = dataDir;
        this.port = Ports.free();
        this.withAgent = withAgent;
        this.extraArgs = List.of(extraArgs);
    }

    /** containerd under the worker when the suite runs with -Dkube4j.e2e.runtime=containerd, else null. */
    private PrivateContainerd containerd;

    /**
     * A server with its local worker (runtime, kubelet, proxy): runs real containers, so it needs root. With
     * {@code -Dkube4j.e2e.runtime=containerd} the worker's runtime is a private containerd
     * ({@code --container-runtime-endpoint}), started here and kept across {@link #kill()} and {@link #start()}.
     */
    public static Kube4jServer withAgent(Path dataDir) {
        String kubeletPort = String.valueOf(Ports.free());
        if (!PrivateContainerd.selected()) {
            return new Kube4jServer(dataDir, true, "--kubelet-port", kubeletPort);
        }
        PrivateContainerd containerd = PrivateContainerd.start(dataDir.resolve("containerd"));
        Kube4jServer server = new Kube4jServer(dataDir, true, "--kubelet-port", kubeletPort,
                "--container-runtime-endpoint", containerd.endpoint());
        server.containerd = containerd;
        return server;
    }

    /** Which runtime the worker drives: "containerd" or "kube4j". */
    public static String runtimeName() {
        return PrivateContainerd.selected() ? "containerd" : "kube4j";
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("kube4j.jar", "../kube4j-cli/target/kube4j.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("kube4j jar not built: " + jar + " (run mvn install)");
        }
        return jar;
    }

    public Kube4jServer start() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString(),
                "server", "--data-dir", dataDir.toString(), "--port", String.valueOf(port)));
        if (!withAgent) {
            cmd.add("--disable-agent");
        }
        cmd.addAll(extraArgs);
        cmd.addAll(addedFlags);
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            awaitReady();
        } catch (RuntimeException | Error e) {
            // the caller never gets a started server to stop: do not leave the process behind (SIGTERM, so that
            // its worker takes its nftables table and routes with it)
            stop();
            throw e;
        }
        return this;
    }

    /**
     * A JVM option for the server's process, e.g. a system property the product reads where it has no flag yet;
     * takes effect at the next {@link #start()}.
     */
    public Kube4jServer jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Flags for {@code kube4j server} beside the ones it was made with; taking effect at the next {@link #start()}. */
    public Kube4jServer flags(String... flags) {
        addedFlags.addAll(List.of(flags));
        return this;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        Kubectl kubectl = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kube4j server exited with " + process.exitValue() + ": " + log());
            }
            // a socket's connect costs nothing beside a kubectl process, which would take CPU from the starting JVM
            if (Files.exists(kubeconfig()) && listening()) {
                if (kubectl == null) {
                    kubectl = kubectl(dataDir.resolve("readiness-cache"));
                }
                if (kubectl.run("get", "--raw", "/readyz").stdout().strip().equals("ok")) {
                    return;
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("kube4j server not ready in time: " + log());
    }

    private boolean listening() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Kubectl kubectl(Path cacheDir) {
        return new Kubectl(Kubectl.DISPATCHER, kubeconfig(), cacheDir);
    }

    public String log() {
        try {
            return Files.readString(dataDir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Whether the process was started and has not ended (a test may have killed it without starting it again). */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already durable. */
    public void kill() {
        process.destroyForcibly();
        waitExit();
    }

    /** SIGTERM: the clean shutdown path. */
    public void stop() {
        if (process == null) {
            return; // never started
        }
        process.destroy();
        waitExit();
    }

    private void waitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After a worker stopped: what a user runs then, {@code kube4j killall} on its data directory - the pods the
     * kubelet had not removed yet stopped through the node's runtime (their containers, namespaces, veths and
     * addresses), the pod cgroups, the mounts under the directory, the CNI bridge, the nftables tables and the pod
     * routes - so the test's temporary directory can go and nothing is left on the host. With containerd as the
     * runtime, the private containerd is stopped first: it removes its own tasks, shims, mounts and namespaces.
     */
    public void cleanUpWorkerLeftovers() {
        if (containerd != null) {
            containerd.close(); // its tasks, shims, snapshot mounts and network namespaces
        }
        killall(dataDir, null, "/");
    }

    /**
     * {@code kube4j killall} for the stopped node on {@code dataDir} whose kubelet had {@code --cgroup-root
     * cgroupRoot}, inside the node's network namespace when it has one of its own ({@code netns}, null for the
     * host's). Best effort, as a tear-down must be: a failure is printed and the tear-down goes on.
     */
    static void killall(Path dataDir, AgentNetns netns, String cgroupRoot) {
        if (!Files.isDirectory(dataDir)) {
            return; // the node never started
        }
        // C1 only, as the agent's JVM: for a JVM that runs for seconds, C2's compiles are mostly wasted CPU
        // (killall of a node with no pod: CPU 1.7-2.0 -> 1.1-1.3 s, 3 runs each, on this 2-core VM at load 11)
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "killall",
                "--data-dir", dataDir.toString(), "--cgroup-root", cgroupRoot);
        // its output to a file: a pipe would be read to its end before the time limit could apply
        Path log = dataDir.resolve("killall.log");
        try {
            Process p = new ProcessBuilder(netns == null ? cmd : netns.exec(cmd)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                System.err.println("kube4j killall --data-dir " + dataDir + " did not end: " + Files.readString(log));
            } else if (p.exitValue() != 0) {
                System.err.println("kube4j killall --data-dir " + dataDir + " failed (" + p.exitValue() + "): "
                        + Files.readString(log));
            }
        } catch (IOException e) {
            System.err.println("cannot run kube4j killall: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Removes these cgroups (paths relative to a hierarchy's mount) with everything below them, in every hierarchy the
     * host mounts, wherever it mounts it: runc creates a container's parent path in all of them. Call after
     * {@link #killall}: a cgroup goes only once no process is left in it.
     */
    public static void removeCgroups(List<String> relativePaths) {
        relativePaths.forEach(Cgroups.ofThisHost()::remove);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
