package io.kube4j.cli;

import io.kube4j.kubelet.eviction.Thresholds;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Flags of a worker node (the agent part of {@code kube4j server}, and {@code kube4j agent}). */
final class WorkerOptions {
    @Option(names = "--node-name", paramLabel = "NAME", description = "this node's name (default: the host name)")
    String nodeName;

    @Option(names = "--cluster-cidr", defaultValue = "10.42.0.0/16",
            description = "pod network; each node gets a /24 of it (default: ${DEFAULT-VALUE})")
    String clusterCidr;

    @Option(names = "--service-cidr", defaultValue = "10.43.0.0/16",
            description = "Service ClusterIP range: what the proxy routes and the cluster DNS address (.10) come from; "
                    + "on `kube4j server` also the range the API server allocates from (an agent's must match its "
                    + "server's) (default: ${DEFAULT-VALUE})")
    String serviceCidr;

    @Option(names = "--kubelet-port", defaultValue = "10250",
            description = "port of the kubelet's server (logs, exec, port-forward, metrics) (default: ${DEFAULT-VALUE})")
    int kubeletPort;

    @Option(names = "--disable-proxy", description = "do not program Services into nftables on this node")
    boolean disableProxy;

    @Option(names = "--disable-dns", description = "do not serve the cluster DNS (the kube-system/kube-dns Service) "
            + "from this node; pods are still pointed at its ClusterIP, as with k3s's --disable coredns")
    boolean disableDns;

    @Option(names = "--cluster-domain", defaultValue = "cluster.local",
            description = "DNS domain of Services and pods (default: ${DEFAULT-VALUE})")
    String clusterDomain;

    @Option(names = "--cgroup-root", paramLabel = "PATH", defaultValue = "/",
            description = "cgroup under which pods' cgroups go (in <PATH>/kubepods), as upstream's kubelet; give each "
                    + "node its own when several share one host (default: ${DEFAULT-VALUE})")
    String cgroupRoot;

    @Option(names = "--eviction-hard", paramLabel = "SIGNAL<QUANTITY,...",
            description = "hard eviction thresholds, as upstream's kubelet (default: "
                    // %% because picocli formats descriptions (a lone % makes every --help warn)
                    + "memory.available<100Mi,nodefs.available<10%%,imagefs.available<15%%)")
    String evictionHard;

    @Option(names = "--container-runtime-endpoint", paramLabel = "unix:///PATH",
            description = "CRI socket of a container runtime already running on this node (e.g. "
                    + "unix:///run/containerd/containerd.sock), as k3s's and upstream kubelet's flag; "
                    + "default: start kube4j's own runtime")
    String containerRuntimeEndpoint;

    /** The CRI socket of an external runtime given with --container-runtime-endpoint, or null for kube4j's own. */
    java.nio.file.Path externalRuntimeSocket() {
        return containerRuntimeEndpoint == null ? null : RuntimeEndpoint.socketOf(containerRuntimeEndpoint);
    }

    /** The kubelet's hard eviction thresholds: the flag's, or upstream's defaults. */
    Thresholds evictionThresholds() {
        if (evictionHard == null) {
            return Thresholds.defaults();
        }
        try {
            return Thresholds.parse(evictionHard);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--eviction-hard " + evictionHard + ": " + e.getMessage());
        }
    }

    /** The top cgroup of this node's pods, relative to each controller's mount: upstream's {@code <cgroup-root>/kubepods}. */
    String kubepodsCgroup() {
        return kubepodsCgroup(cgroupRoot);
    }

    /** {@code <cgroupRoot>/kubepods} relative to each controller's mount, as {@code --cgroup-root} gives it. */
    static String kubepodsCgroup(String cgroupRoot) {
        String root = cgroupRoot == null ? "" : cgroupRoot.strip();
        while (root.startsWith("/")) {
            root = root.substring(1);
        }
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (root.contains("..") || root.contains("//")) {
            throw new IllegalArgumentException("--cgroup-root " + cgroupRoot + ": must be a plain cgroup path such as /node-a");
        }
        return root.isEmpty() ? "kubepods" : root + "/kubepods";
    }

    String nodeName() {
        if (nodeName != null) {
            return nodeName;
        }
        try {
            // Node names are DNS-1123 subdomains: lower case, no underscores.
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT).replace('_', '-');
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
