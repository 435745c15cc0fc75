package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.kubelet.Kubelet;
import io.kube4j.kubelet.KubeletOptions;
import io.kube4j.proxy.Proxy;
import io.kube4j.proxy.ProxyOptions;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The three parts of a worker, started in one JVM: the CRI runtime on a unix socket, the kubelet that drives it
 * over gRPC, and the service proxy. The kubelet and proxy reach the cluster only through {@code client}.
 */
final class WorkerNode {
    private WorkerNode() {
    }

    static void start(Components components, KubernetesClient client, WorkerOptions worker, Path dataDir,
                      Map<String, String> nodeLabels) throws Exception {
        requireRoot();
        String node = worker.nodeName();
        Path socket = dataDir.resolve("run").resolve("runtime.sock");
        System.err.println("kube4j: starting the container runtime on " + socket);
        components.add(RuntimeServer.start(RuntimeOptions.defaults(dataDir.resolve("runtime"), socket)
                .withImportDir(dataDir.resolve("images"))));
        System.err.println("kube4j: starting the kubelet for node " + node);
        components.add(Kubelet.start(client, KubeletOptions.defaults(node, socket, dataDir.resolve("kubelet"))
                .withPodLogDir(dataDir.resolve("pod-logs"))
                // Loopback only: the kubelet server has no authentication of its own yet.
                .withServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), worker.kubeletPort))
                .withNodeLabels(nodeLabels)));
        if (!worker.disableProxy) {
            System.err.println("kube4j: starting the service proxy (nftables table ip kube4j)");
            components.add(Proxy.start(client, ProxyOptions.defaults(node)
                    .withClusterCidr(worker.clusterCidr)
                    .withServiceCidr(worker.serviceCidr)));
        }
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("a worker node runs containers and programs the kernel: run as root, "
                    + "or pass --disable-agent to run the master alone");
        }
    }
}
