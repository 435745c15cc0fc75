package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.kube4j.cri.v1.VersionRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same suite against Debian's containerd 1.6, the reference CRI runtime: its own root, socket,
 * CNI config and a pause image built from busybox-static and catatonit, since there is no registry to pull from.
 */
class ContainerdConformanceTest extends CriConformanceSuite {
    private static Path base;
    private static Process containerd;
    private static CriClient client;
    private static String bridge;
    private static String ipPrefix;

    @BeforeAll
    static void startContainerd() throws Exception {
        base = Files.createTempDirectory("kube4j-containerd");
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        ipPrefix = "10.205." + subnet + ".";
        bridge = "k4jc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        Path images = TestImages.busyboxArchiveDir();
        // Upstream's pause reaps what is re-parented to it in a shared PID namespace: catatonit -P, as kube4j's own
        // infra process (busybox-static has no such program)
        run(Map.of("REF_NAME", "docker.io/kube4j/pause:1", "EXTRA_BINARY", "/usr/bin/catatonit",
                        "IMAGE_CMD", "[\"/bin/catatonit\",\"-P\"]", "ARCHIVE_NAME", "pause.tar"),
                Path.of("..", "bin", "build-busybox-image").toAbsolutePath().normalize().toString(), base.toString());
        Files.createDirectories(base.resolve("cni"));
        Files.writeString(base.resolve("cni/10-kube4j-test.conflist"), """
                {"cniVersion":"1.0.0","name":"%s","plugins":[
                  {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,"hairpinMode":true,
                   "ipam":{"type":"host-local","ranges":[[{"subnet":"%s0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"%s"}},
                  {"type":"portmap","capabilities":{"portMappings":true}}]}
                """.formatted(bridge, bridge, ipPrefix, base.resolve("ipam")));
        Files.writeString(base.resolve("config.toml"), """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                [grpc]
                  address = "%1$s/containerd.sock"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "docker.io/kube4j/pause:1"
                  restrict_oom_score_adj = true
                  enable_selinux = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "/usr/lib/cni"
                    conf_dir = "%1$s/cni"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                """.formatted(base));
        containerd = new ProcessBuilder("containerd", "--config", base.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(base.resolve("containerd.log").toFile()).start();
        client = new CriClient(base.resolve("containerd.sock"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> !client.rt().version(VersionRequest.getDefaultInstance()).getRuntimeName().isEmpty());
        for (Path archive : List.of(images.resolve("busybox.tar"), base.resolve("pause.tar"))) {
            run(Map.of(), "ctr", "--address", base.resolve("containerd.sock").toString(), "-n", "k8s.io", "images", "import", archive.toString());
        }
    }

    private static void run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        try {
            if (client != null) {
                client.removeAllSandboxes();
                client.close();
            }
        } finally {
            if (containerd != null) {
                containerd.destroy();
                if (!containerd.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    containerd.destroyForcibly().waitFor();
                }
            }
            // containerd keeps its snapshots mounted until removed: unmount whatever is left under the root.
            for (String mount : NodeState.mountsMentioning(base.toString())) {
                new ProcessBuilder("umount", "-l", mount.split(" ")[4]).start().waitFor();
            }
            new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
        }
    }

    @Override
    protected CriClient cri() {
        return client;
    }

    @Override
    protected Path logRoot() {
        return base.resolve("logs");
    }

    @Override
    protected String podIpPrefix() {
        return ipPrefix;
    }

    @Override
    protected List<Status.Code> missingImageCodes() {
        return List.of(Status.Code.NOT_FOUND, Status.Code.UNKNOWN);
    }

    /**
     * In our runs containerd 1.6 applied no resize sent on a SPDY resize stream of a TTY attach (the
     * stream's reply did not come within 20s either); resizes over WebSocket work. Not investigated further.
     */
    @Override
    protected boolean resizesOverSpdy() {
        return false;
    }

    @Override
    protected boolean streamsContainerEvents() {
        return false;
    }

    @Override
    protected boolean startedAtPrecedesExit() {
        return false;
    }

    /** Its StopContainer signals the init only (no kill --all); its shim SIGKILLs the other processes once that ends. */
    @Override
    protected boolean stopSignalReachesEveryProcess() {
        return false;
    }

    @Override
    protected boolean rejectsMissingHostPaths() {
        return false;
    }

    @Override
    protected void assertNothingLeftOf(String sandboxId) throws Exception {
        assertThat(NodeState.mountsMentioning(sandboxId)).as("mounts").isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(NodeState.processesMentioning(sandboxId)).as("processes").isEqualTo(List.of()));
    }
}
