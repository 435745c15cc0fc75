package io.kube4j.kubelet.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.kubelet.Kubelet;
import io.kube4j.kubelet.KubeletOptions;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A single node for tests: the real API server (embedded store), the real kube4j runtime (runc, conmon, CNI bridge)
 * with the offline busybox image, and a kubelet, all in this JVM, in a temporary directory, on loopback. Closing it
 * removes every container, sandbox, bridge and cgroup it made.
 */
final class RealStack implements AutoCloseable {
    final Path base;
    final String bridge;
    /** The pods' network, "10.203.N." (N random so that stacks of parallel runs do not collide). */
    final String podNetworkPrefix;
    final KubernetesClient client;
    final RuntimeClient cri;
    final KubeletOptions options;
    private final Store store;
    private final ApiServer api;
    private final RuntimeServer runtime;
    Kubelet kubelet;

    /** Skips the calling test (with the reason) when the machine cannot run containers. */
    static void assumeMachineCanRunContainers() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for runc and network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")), "runc is not installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/conmon")), "conmon is not installed");
    }

    static RealStack start(String nodeName, UnaryOperator<KubeletOptions> customize) throws Exception {
        assumeMachineCanRunContainers();
        return new RealStack(nodeName, customize);
    }

    private RealStack(String nodeName, UnaryOperator<KubeletOptions> customize) throws Exception {
        base = Files.createTempDirectory("kube4j-kubelet-stack");
        Path images = base.resolve("images");
        Process build = new ProcessBuilder(Path.of("..", "bin", "build-busybox-image").toAbsolutePath().normalize().toString(),
                images.toString()).inheritIO().start();
        if (build.waitFor() != 0) {
            throw new IllegalStateException("bin/build-busybox-image failed");
        }
        store = EmbeddedStore.open(base.resolve("store"));
        api = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", freePort()), base));
        podNetworkPrefix = "10.203." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        bridge = "k4js" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        runtime = RuntimeServer.start(RuntimeOptions.defaults(base.resolve("runtime"), base.resolve("cri.sock"))
                .withImportDir(images).withNetwork(podNetworkPrefix + "0/24", bridge, false));
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + api.port()).withNamespace("default").build()).build();
        cri = RuntimeClient.connect(runtime.socket());
        options = customize.apply(KubeletOptions.defaults(nodeName, runtime.socket(), base.resolve("kubelet"))
                .withPodLogDir(base.resolve("logs"))
                .withCgroups(Cgroups.ofThisHost(), "kubepods-" + bridge)
                .withSyncFrequency(Duration.ofSeconds(5)));
        kubelet = Kubelet.start(client, options);
    }

    /** The runtime's containers that belong to the pod with this UID. */
    java.util.List<io.kube4j.cri.v1.Container> containersOf(String podUid) {
        return cri.listContainers(Map.of(io.kube4j.kubelet.kuberuntime.Labels.POD_UID, podUid));
    }

    java.util.List<io.kube4j.cri.v1.PodSandbox> sandboxesOf(String podUid) {
        return cri.listPodSandboxes(Map.of(io.kube4j.kubelet.kuberuntime.Labels.POD_UID, podUid));
    }

    @Override
    public void close() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        for (var c : cri.listContainers(Map.of())) {
            try {
                cri.stopContainer(c.getId(), 0);
                cri.removeContainer(c.getId());
            } catch (RuntimeException ignored) {
                // best effort: the runtime may have removed it meanwhile
            }
        }
        for (var s : cri.listPodSandboxes(Map.of())) {
            try {
                cri.stopPodSandbox(s.getId());
                cri.removePodSandbox(s.getId());
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        cri.close();
        runtime.close();
        client.close();
        api.close();
        store.close();
        new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
        // the pod cgroups' parent, in every hierarchy wherever the host mounts it (runc creates it in all)
        Cgroups.ofThisHost().remove("kubepods-" + bridge);
        new ProcessBuilder("sh", "-c", "grep -o ' " + base + "/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l; true")
                .start().waitFor();
        new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
