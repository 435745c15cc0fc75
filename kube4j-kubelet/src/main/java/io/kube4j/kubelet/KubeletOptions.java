package io.kube4j.kubelet;

import io.kube4j.host.cgroup.Cgroups;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a kubelet runs.
 *
 * @param nodeName         the Node this kubelet registers and the pods it runs ({@code spec.nodeName})
 * @param runtimeEndpoint  the CRI unix socket
 * @param rootDir          kubelet state: pod volumes, termination messages
 * @param podLogDir        container logs, as {@code <podLogDir>/<ns>_<name>_<uid>/<container>/<restart>.log}
 * @param podCidr          the Node's spec.podCIDR at registration; null to leave it to the controller
 * @param nodeLabels       extra labels (e.g. node-role.kubernetes.io/control-plane)
 * @param cgroups          the host's cgroup v1 hierarchies, wherever mounted; pod cgroups go under {@code <kubepodsName>}
 * @param kubepodsName     the top cgroup of every pod ("kubepods" as upstream)
 * @param syncFrequency    how often every pod is re-synced even without events (volume refresh, status)
 * @param relistPeriod     how often the runtime is relisted to notice container changes (PLEG)
 * @param leaseRenewInterval how often the node Lease is renewed
 * @param statusUpdateInterval how often node status is computed (patched when changed, and at least every 5 min)
 * @param serverAddress  where the kubelet's HTTP server (healthz, pods, containerLogs, exec) listens; null for none
 * @param clusterDns     nameservers for ClusterFirst pods (the cluster DNS service); empty: pods use the node's resolv.conf
 * @param clusterDomain  the cluster's DNS domain ("cluster.local")
 * @param staticPodPath  a directory of pod manifests (YAML or JSON) run as static pods with mirror pods; null for none
 * @param evictionHard   hard eviction thresholds (--eviction-hard), upstream's defaults unless given
 * @param serverTls      the server's certificate and client CA: HTTPS with authentication and authorization through
 *                       the API server (upstream's only mode); null for plain HTTP with none (tests on loopback)
 * @param serverTlsBootstrap upstream's serverTLSBootstrap: HTTPS as with serverTls, the certificate obtained and
 *                       renewed through kubernetes.io/kubelet-serving CSRs; null when serverTls is given or for none
 */
public record KubeletOptions(String nodeName, Path runtimeEndpoint, Path rootDir, Path podLogDir, String podCidr,
                             Map<String, String> nodeLabels, Cgroups cgroups, String kubepodsName,
                             Duration syncFrequency, Duration relistPeriod, Duration leaseRenewInterval,
                             Duration statusUpdateInterval, java.net.InetSocketAddress serverAddress,
                             java.util.List<String> clusterDns, String clusterDomain, Path staticPodPath,
                             io.kube4j.kubelet.eviction.Thresholds evictionHard,
                             io.kube4j.kubelet.server.ServingTls serverTls,
                             io.kube4j.kubelet.certificate.ServingBootstrap serverTlsBootstrap) {

    public KubeletOptions {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("a kubelet needs a node name");
        }
        nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
        clusterDns = clusterDns == null ? java.util.List.of() : java.util.List.copyOf(clusterDns);
        clusterDomain = clusterDomain == null || clusterDomain.isEmpty() ? "cluster.local" : clusterDomain;
        evictionHard = evictionHard == null ? io.kube4j.kubelet.eviction.Thresholds.defaults() : evictionHard;
        if (serverTls != null && serverTlsBootstrap != null) {
            throw new IllegalArgumentException("a kubelet serves either a given certificate or a bootstrapped one, not both");
        }
    }

    public static KubeletOptions defaults(String nodeName, Path runtimeEndpoint, Path rootDir) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, Path.of("/var/log/pods"), null, Map.of(),
                Cgroups.ofThisHost(), "kubepods", Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(10), null,
                java.util.List.of(), "cluster.local", null, null, null, null);
    }

    public KubeletOptions withPodLogDir(Path dir) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, dir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withPodCidr(String cidr) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, cidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withNodeLabels(Map<String, String> labels) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, labels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withCgroups(Cgroups hierarchies, String kubepods) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, hierarchies, kubepods,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withSyncFrequency(Duration every) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                every, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withNodeIntervals(Duration lease, Duration status) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, lease, status, serverAddress, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withServer(java.net.InetSocketAddress address) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, address, clusterDns, clusterDomain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    /** Serves HTTPS with {@code tls}, authenticating and authorizing every request through the API server. */
    public KubeletOptions withServerTls(io.kube4j.kubelet.server.ServingTls tls) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath,
                evictionHard, tls, serverTlsBootstrap);
    }

    /** Serves HTTPS with a certificate requested from the cluster and kept renewed (upstream's serverTLSBootstrap). */
    public KubeletOptions withServerTlsBootstrap(io.kube4j.kubelet.certificate.ServingBootstrap bootstrap) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath,
                evictionHard, serverTls, bootstrap);
    }

    public KubeletOptions withClusterDns(java.util.List<String> nameservers, String domain) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, nameservers, domain, staticPodPath, evictionHard, serverTls, serverTlsBootstrap);
    }

    public KubeletOptions withStaticPodPath(Path dir) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, dir, evictionHard, serverTls, serverTlsBootstrap);
    }

    /** Hard eviction thresholds, e.g. {@code Thresholds.parse("memory.available<200Mi,nodefs.available<5%")}. */
    public KubeletOptions withEvictionHard(io.kube4j.kubelet.eviction.Thresholds thresholds) {
        return new KubeletOptions(nodeName, runtimeEndpoint, rootDir, podLogDir, podCidr, nodeLabels, cgroups, kubepodsName,
                syncFrequency, relistPeriod, leaseRenewInterval, statusUpdateInterval, serverAddress, clusterDns, clusterDomain, staticPodPath,
                thresholds, serverTls, serverTlsBootstrap);
    }
}
