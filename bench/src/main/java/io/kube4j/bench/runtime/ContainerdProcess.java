package io.kube4j.bench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's containerd 1.6, set up as the conformance suite sets it up: its own root and socket,
 * restrict_oom_score_adj (no CAP_SYS_RESOURCE here), a pause image built from busybox-static and catatonit,
 * CNI bridge + host-local + portmap.
 */
final class ContainerdProcess implements RuntimeUnderTest {
    private final Process process;
    private final Path base;
    private final String bridge;

    private ContainerdProcess(Process process, Path base, String bridge) {
        this.process = process;
        this.base = base;
        this.bridge = bridge;
    }

    /** Starts containerd; {@link #importImages} once it answers. */
    static ContainerdProcess start(Path base, Path buildImageScript, String ipPrefix, String bridge) throws IOException {
        // a pause whose PID 1 reaps orphans, as upstream's does and as kube4j's runtime's infra process does
        Commands.run(Map.of("REF_NAME", "docker.io/kube4j/pause:1", "EXTRA_BINARY", "/usr/bin/catatonit",
                        "IMAGE_CMD", "[\"/bin/catatonit\",\"-P\"]", "ARCHIVE_NAME", "pause.tar"),
                List.of(buildImageScript.toString(), base.toString()));
        Files.createDirectories(base.resolve("cni"));
        Files.writeString(base.resolve("cni/10-kube4j-bench.conflist"), """
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
        Process process = new ProcessBuilder("containerd", "--config", base.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(base.resolve("containerd.log").toFile()).start();
        return new ContainerdProcess(process, base, bridge);
    }

    void importImages(Path busyboxArchive) {
        for (Path archive : List.of(busyboxArchive, base.resolve("pause.tar"))) {
            Commands.run("ctr", "--address", socket().toString(), "-n", "k8s.io", "images", "import", archive.toString());
        }
    }

    @Override
    public String name() {
        return "containerd";
    }

    @Override
    public Path socket() {
        return base.resolve("containerd.sock");
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long heapUsedAfterGc() {
        return -1;
    }

    @Override
    public String setup() {
        return Commands.run("containerd", "--version").trim() + " (CRI plugin, runc v2 shim, overlayfs, CNI bridge)";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            // containerd keeps snapshots mounted: unmount whatever is left under its root, deepest first.
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4]).filter(m -> m.startsWith(base.toString()))
                    .sorted((a, b) -> b.length() - a.length()).toList();
            for (String mount : mounts) {
                Commands.quietly("umount", "-l", mount);
            }
        } catch (IOException e) {
            // nothing mounted to read
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Commands.quietly("ip", "link", "del", bridge);
        Commands.quietly("rm", "-rf", base.toString());
    }
}
