package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.host.cgroup.CgroupLayout;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.kubelet.Kubelet;
import io.kube4j.kubelet.KubeletOptions;
import io.kube4j.kubelet.nodestatus.MachineInfo;
import io.kube4j.kubelet.server.ServingTls;
import io.kube4j.proxy.Proxy;
import io.kube4j.proxy.ProxyOptions;
import io.kube4j.proxy.cache.InformedResource;
import io.kube4j.proxy.cache.SharedInformers;
import io.kube4j.proxy.dns.DnsOptions;
import io.kube4j.proxy.dns.KubeDnsService;
import io.kube4j.proxy.dns.NodeDns;
import io.kube4j.proxy.routes.PodNetworkOptions;
import io.kube4j.proxy.routes.PodRoutes;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The three parts of a worker, started in one JVM: the CRI runtime on a unix socket (or, with
 * --container-runtime-endpoint, a runtime already running, such as containerd), the kubelet that drives it over gRPC
 * (in-process when the runtime is this JVM's: {@link NodeRuntime}), and the service proxy. The kubelet reaches the
 * cluster only through {@code kubeletClient} (its node credentials), the proxy and the cluster DNS through
 * {@code proxyClient} (kube-proxy's).
 */
final class WorkerNode {
    private WorkerNode() {
    }

    static void start(Components components, KubernetesClient kubeletClient, KubernetesClient proxyClient,
                      WorkerOptions worker, Path dataDir, Map<String, String> nodeLabels) throws Exception {
        start(components, kubeletClient, proxyClient, worker, dataDir, nodeLabels, (ServingTls) null);
    }

    /**
     * @param kubeletTls the kubelet server's serving certificate and client CA: it then serves HTTPS on every
     *                   interface, authenticating and authorizing through the API server; null for plain HTTP on
     *                   loopback with no authentication
     */
    static void start(Components components, KubernetesClient kubeletClient, KubernetesClient proxyClient,
                      WorkerOptions worker, Path dataDir, Map<String, String> nodeLabels, ServingTls kubeletTls)
            throws Exception {
        start(components, kubeletClient, proxyClient, worker, dataDir, nodeLabels,
                kubeletTls == null ? null : k -> k.withServerTls(kubeletTls));
    }

    /**
     * @param secureServer how the kubelet server gets its certificate (given, or bootstrapped through a CSR): it then
     *                     serves HTTPS on every interface, authenticating and authorizing through the API server; null
     *                     for plain HTTP on loopback with no authentication
     */
    static void start(Components components, KubernetesClient kubeletClient, KubernetesClient proxyClient,
                      WorkerOptions worker, Path dataDir, Map<String, String> nodeLabels,
                      java.util.function.UnaryOperator<KubeletOptions> secureServer) throws Exception {
        requireNodeHost();
        String node = worker.nodeName();
        Path socket = worker.externalRuntimeSocket();
        NodeRuntime nodeRuntime;
        if (socket == null) {
            socket = dataDir.resolve("run").resolve("runtime.sock");
            ContainerdImageImport.forget(dataDir); // kube4j's runtime rescans the images directory itself
            System.err.println("kube4j: starting the container runtime on " + socket);
            RuntimeOptions runtime = RuntimeOptions.defaults(dataDir.resolve("runtime"), socket)
                    .withImportDir(dataDir.resolve("images"));
            // No pod range until the kubelet passes the Node's spec.podCIDR (UpdateRuntimeConfig), as upstream: a
            // default range would give two nodes the same pod IPs. The CNI bridge would masquerade everything leaving
            // this node's /24, pod-to-pod across nodes too: PodRoutes masquerades only what leaves the cluster CIDR.
            nodeRuntime = NodeRuntime.local(components.add(RuntimeServer.start(runtime.withNetwork(null, runtime.bridge(), false))));
        } else {
            useExternalRuntime(socket, dataDir);
            nodeRuntime = NodeRuntime.external(socket);
        }
        System.err.println("kube4j: routing other nodes' pod CIDRs (host-gw), masquerading traffic leaving "
                + worker.clusterCidr);
        components.add(PodRoutes.start(proxyClient, PodNetworkOptions.defaults(node, worker.clusterCidr)));
        System.err.println("kube4j: starting the kubelet for node " + node);
        String clusterDnsIp = KubeDnsService.clusterIp(worker.serviceCidr);
        KubeletOptions kubelet = KubeletOptions.defaults(node, socket, dataDir.resolve("kubelet"));
        kubelet = secureServer == null
                // no authentication without TLS: loopback only
                ? kubelet.withServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), worker.kubeletPort))
                : secureServer.apply(kubelet.withServer(new InetSocketAddress(worker.kubeletPort)));
        components.add(Kubelet.start(kubeletClient, kubelet
                .withPodLogDir(dataDir.resolve("pod-logs"))
                .withCgroups(Cgroups.ofThisHost(), worker.kubepodsCgroup())
                .withClusterDns(List.of(clusterDnsIp), worker.clusterDomain)
                .withEvictionHard(worker.evictionThresholds())
                .withNodeLabels(nodeLabels), nodeRuntime.kubeletChannel(),
                // one Service informer per client in the JVM: an agent's proxy uses the kubelet's client too
                SharedInformers.lease(kubeletClient, InformedResource.SERVICES)));
        if (!worker.disableProxy) {
            System.err.println("kube4j: starting the service proxy (nftables table ip kube4j)");
            components.add(Proxy.start(proxyClient, ProxyOptions.defaults(node)
                    .withClusterCidr(worker.clusterCidr)
                    .withServiceCidr(worker.serviceCidr)));
        }
        if (!worker.disableDns) {
            // the address the kubelet publishes as the node's InternalIP: the proxy DNATs kube-dns traffic to it
            String nodeIp = MachineInfo.internalIp();
            System.err.println("kube4j: serving cluster DNS on " + nodeIp + ":53 as Service kube-system/kube-dns ("
                    + clusterDnsIp + ")");
            components.add(NodeDns.start(proxyClient, node, worker.serviceCidr, DnsOptions.defaults()
                    .withBind(nodeIp, 53).withClusterDomain(worker.clusterDomain)));
        }
    }

    /**
     * A runtime this node does not start (--container-runtime-endpoint): waited for and checked to be CRI v1. Its pod
     * network is its own configuration (for containerd: the CRI plugin's CNI conf_dir/conf_template, rendered with
     * the podCIDR the kubelet passes in UpdateRuntimeConfig). The images directory is imported when it is containerd.
     */
    private static void useExternalRuntime(Path socket, Path dataDir) throws Exception {
        Path imagesDir = dataDir.resolve("images");
        System.err.println("kube4j: using the container runtime at unix://" + socket + " (none started here)");
        io.kube4j.cri.v1.VersionResponse version = RuntimeEndpoint.awaitRuntime(socket);
        System.err.println("kube4j: container runtime " + version.getRuntimeName() + " " + version.getRuntimeVersion()
                + " (CRI " + version.getRuntimeApiVersion() + ")");
        if ("containerd".equals(version.getRuntimeName())) {
            ContainerdImageImport.remember(dataDir, socket); // for `kube4j images import` while the node runs
            ContainerdImageImport.importAll(socket, imagesDir);
            return;
        }
        ContainerdImageImport.forget(dataDir);
        if (!ContainerdImageImport.archives(imagesDir).isEmpty()) {
            System.err.println("kube4j: not importing the archives in " + imagesDir + ": the runtime "
                    + version.getRuntimeName() + " imports its own images");
        }
    }

    /**
     * Refuses a host a worker cannot run on, in one line: the commands call it before they start anything (the master
     * of {@code kube4j server}, the join of {@code kube4j agent}), so a refused node is never half started.
     */
    static void requireNodeHost() {
        requireNodeHost(Cgroups.ofThisHost().layout());
    }

    static void requireNodeHost(CgroupLayout cgroups) {
        requireRoot();
        // the kubelet's pod cgroups and the runtime are cgroup v1 only; on cgroup v2 alone they would skip every limit
        cgroups.require();
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("a worker node runs containers and programs the kernel: run as root, "
                    + "or pass --disable-agent to run the master alone");
        }
    }
}
