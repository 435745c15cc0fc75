package io.kube4j.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's containerd 1.6 as a node's runtime, for the e2e suite's second run ({@code -Dkube4j.e2e.runtime=containerd}):
 * its own root, state, socket and config under the test's directory, nothing shared with a containerd the machine may
 * run. Its CRI plugin renders the pod network from a {@code conf_template} when the kubelet passes the Node's podCIDR
 * (UpdateRuntimeConfig): the same bridge ({@code kube4j0}, no masquerade, hairpin) and host-local range kube4j's own
 * runtime uses, so the proxy, the pod routes and the cluster DNS see the pods where they expect them. There is no
 * registry: the sandbox ("pause") image is built from busybox-static with catatonit and imported with {@code ctr}.
 * <p>
 * Stopping it removes every task, shim, mount and network namespace (containerd's {@code /var/run/netns/cni-*}) it
 * made; a JVM shutdown hook does so too when a test never got that far.
 */
final class PrivateContainerd implements AutoCloseable {
    static final String PAUSE_IMAGE = "docker.io/kube4j/pause:1";

    /**
     * Where the runc shims keep runc's state for CRI's containerd namespace (their default root, /run/containerd/runc,
     * and the namespace): one for every private containerd of the host; container IDs do not collide.
     */
    static final Path RUNC_ROOT = Path.of("/run/containerd/runc/k8s.io");

    private final Path base;
    /** The agent node's network namespace containerd runs in (its CNI bridge and pod routes are there), or null. */
    private final AgentNetns netns;
    private Process process;
    private boolean closed;

    private PrivateContainerd(Path base, AgentNetns netns) {
        this.base = base.toAbsolutePath();
        this.netns = netns;
    }

    /** Whether the suite runs on containerd: {@code -Dkube4j.e2e.runtime=containerd}. */
    static boolean selected() {
        return "containerd".equals(System.getProperty("kube4j.e2e.runtime", "kube4j"));
    }

    static PrivateContainerd start(Path base) {
        return start(base, null);
    }

    /**
     * A containerd for a node in {@code netns} (null: the host's): it runs there, so the CNI plugins it calls make
     * the node's bridge in the node's network stack, as kube4j's runtime would inside the agent. Its socket is a
     * file, reachable from the host's namespace too (ctr, the shutdown below).
     */
    static PrivateContainerd start(Path base, AgentNetns netns) {
        PrivateContainerd containerd = new PrivateContainerd(base, netns);
        Runtime.getRuntime().addShutdownHook(new Thread(containerd::close, "stop-private-containerd"));
        try {
            containerd.launch();
        } catch (RuntimeException | Error e) {
            containerd.close();
            throw e;
        }
        return containerd;
    }

    Path socket() {
        return base.resolve("containerd.sock");
    }

    /** The value of {@code --container-runtime-endpoint}. */
    String endpoint() {
        return "unix://" + socket();
    }

    Path base() {
        return base;
    }

    private void launch() {
        try {
            Files.createDirectories(base.resolve("cni"));
            // PID 1 of a pod sharing its PID namespace reaps what is re-parented to it, as upstream's pause does:
            // catatonit -P (what kube4j's runtime runs as its infra process), not a sleep that leaves zombies
            BusyboxImages.copyInto(base, Map.of("REF_NAME", PAUSE_IMAGE, "EXTRA_BINARY", "/usr/bin/catatonit",
                    "IMAGE_CMD", "[\"/bin/catatonit\",\"-P\"]", "ARCHIVE_NAME", "pause.tar"));
            // Rendered by the CRI plugin into conf_dir/10-containerd-net.conflist once the kubelet sends the podCIDR:
            // the network kube4j's runtime builds (CniNetwork), with containerd doing the CNI calls.
            Files.writeString(base.resolve("cni-template.conflist"), """
                    {"cniVersion":"1.0.0","name":"kube4j-kube4j0","plugins":[
                      {"type":"bridge","bridge":"kube4j0","isGateway":true,"ipMasq":false,"hairpinMode":true,
                       "ipam":{"type":"host-local","ranges":[[{"subnet":"{{.PodCIDR}}"}]],"routes":[{"dst":"0.0.0.0/0"}],
                               "dataDir":"%s"}},
                      {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}
                    """.formatted(base.resolve("ipam")));
            // restrict_oom_score_adj: the sandbox's -998 needs CAP_SYS_RESOURCE, which a containerised test machine
            // lacks (runc init then dies: "can't get final child's PID from pipe"); clamp to containerd's own score
            Files.writeString(base.resolve("config.toml"), """
                    version = 2
                    root = "%1$s/root"
                    state = "%1$s/state"
                    [grpc]
                      address = "%1$s/containerd.sock"
                    [plugins."io.containerd.grpc.v1.cri"]
                      sandbox_image = "%2$s"
                      stream_server_address = "127.0.0.1"
                      stream_server_port = "0"
                      enable_selinux = false
                      restrict_oom_score_adj = true
                      [plugins."io.containerd.grpc.v1.cri".cni]
                        bin_dir = "/usr/lib/cni"
                        conf_dir = "%1$s/cni"
                        conf_template = "%1$s/cni-template.conflist"
                      [plugins."io.containerd.grpc.v1.cri".containerd]
                        snapshotter = "overlayfs"
                        default_runtime_name = "runc"
                        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                          runtime_type = "io.containerd.runc.v2"
                          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                            SystemdCgroup = false
                    """.formatted(base, PAUSE_IMAGE));
            List<String> command = List.of("containerd", "--config", base.resolve("config.toml").toString());
            process = new ProcessBuilder(netns == null ? command : netns.exec(command))
                    .redirectErrorStream(true).redirectOutput(base.resolve("containerd.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!ctr("version").startsWith("ok")) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("containerd did not start: " + log());
            }
            sleep(200);
        }
        String imported = ctr("images", "import", base.resolve("pause.tar").toString());
        if (!imported.startsWith("ok")) {
            throw new IllegalStateException("cannot import the pause image: " + imported);
        }
    }

    String log() {
        try {
            return Files.readString(base.resolve("containerd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops every task it still runs, then containerd, then any shim left; unmounts what is left under its base. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepLogs();
        List<String> netns = new ArrayList<>();
        if (process != null && process.isAlive()) {
            // the sandboxes' network namespaces are bind mounts under /var/run/netns, which only the CRI's own
            // StopPodSandbox removes: note them before the tasks go
            for (String id : ids(ctr("containers", "list", "-q"))) {
                java.util.regex.Matcher m = NETNS_PATH.matcher(ctr("containers", "info", id));
                while (m.find()) {
                    netns.add(m.group(1));
                }
            }
            for (String id : ids(ctr("tasks", "list", "-q"))) {
                ctr("tasks", "kill", "-s", "SIGKILL", id);
                ctr("tasks", "delete", "-f", id);
            }
            for (String id : ids(ctr("containers", "list", "-q"))) {
                ctr("containers", "delete", id);
            }
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        killShims();
        unmountUnderBase();
        for (String path : netns.stream().distinct().toList()) {
            exec(List.of("umount", path));
            exec(List.of("rm", "-f", path));
        }
    }

    /** A network namespace containerd's CRI plugin made, as it appears in a sandbox container's OCI spec. */
    private static final java.util.regex.Pattern NETNS_PATH =
            java.util.regex.Pattern.compile("\"path\":\\s*\"(/(?:var/)?run/netns/cni-[0-9a-f-]+)\"");

    /**
     * The test directory goes with the test: containerd's log, the rendered CNI config and the node's server log are
     * copied to target/e2e-logs on every stop, for looking into a failed run.
     */
    private void keepLogs() {
        try {
            // one directory per node: a multi-node class runs a containerd for each of its nodes
            Path keep = Files.createDirectories(Path.of("target", "e2e-logs",
                    "containerd-" + base.getParent().getParent().getFileName() + "-" + base.getParent().getFileName()));
            Path nodeDir = base.getParent();
            for (Path log : List.of(base.resolve("containerd.log"), nodeDir.resolve("server.log"),
                    nodeDir.resolve("agent.log"), base.resolve("cni").resolve("10-containerd-net.conflist"))) {
                if (Files.isRegularFile(log)) {
                    Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (process != null && process.isAlive()) {
                Files.writeString(keep.resolve("containers.txt"), ctr("containers", "list") + ctr("tasks", "list"));
            }
        } catch (IOException e) {
            System.err.println("cannot keep containerd's logs: " + e);
        }
    }

    /** The IDs a successful {@code ctr ... list -q} printed, one a line. */
    private static List<String> ids(String result) {
        if (!result.startsWith("ok\n")) {
            return List.of();
        }
        return result.lines().skip(1).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The runc shims of this containerd: started with {@code -address <our socket>}, they outlive containerd. */
    private void killShims() {
        String socket = socket().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("containerd-shim") && c.contains(socket)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> p).join();
                });
    }

    private void unmountUnderBase() {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && fields[1].startsWith(base + "/")) {
                    mounts.add(fields[1]);
                }
            }
            mounts.sort(Comparator.reverseOrder()); // deepest first
            for (String mount : mounts) {
                exec(List.of("umount", "-l", mount));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "ok\n<output>" or "failed\n<output>" of ctr against this containerd, in CRI's namespace. */
    String ctr(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket().toString(), "--namespace", "k8s.io"));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private static String exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "failed\n(timed out) " + out;
            }
            return (p.exitValue() == 0 ? "ok\n" : "failed\n") + out;
        } catch (IOException e) {
            return "failed\n" + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "failed\ninterrupted";
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
