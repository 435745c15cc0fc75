package io.kube4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kube4j.cri.v1.Mount;
import io.kube4j.kubelet.env.ContainerConfigException;
import io.kube4j.kubelet.kuberuntime.PodHostname;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The /etc/hosts the kubelet gives each container of a pod, as upstream's kubelet writes it (kubelet_pods.go): its
 * header, the loopback and IPv6 names, the pod's IP with its fully qualified name when it has a subdomain (a
 * StatefulSet's {@code web-0.nginx.default.svc.cluster.local web-0}), and the pod's hostAliases; a pod on the host
 * network gets the node's file with its aliases. The kubelet writes it rather than the runtime, because only the
 * kubelet knows the pod's domain and aliases (the CRI sandbox config carries the host name alone).
 */
final class ManagedEtcHosts {
    static final String PATH = "/etc/hosts";
    private static final Path NODE_HOSTS = Path.of("/etc/hosts");

    private ManagedEtcHosts() {
    }

    /**
     * The mount of the pod's hosts file for {@code container}, written into {@code podDir}; none until a pod of its
     * own network has an IP, or when the container mounts a volume on /etc/hosts itself.
     */
    static Optional<Mount> mount(Path podDir, Pod pod, Container container, String podIp, PodHostname name) {
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        if ((!hostNetwork && (podIp == null || podIp.isEmpty())) || mountsItsOwn(container)) {
            return Optional.empty();
        }
        List<HostAlias> aliases = pod.getSpec().getHostAliases() == null ? List.of() : pod.getSpec().getHostAliases();
        Path file = podDir.resolve("etc-hosts");
        try {
            String content = hostNetwork
                    ? hostNetworkContent(Files.exists(NODE_HOSTS) ? Files.readString(NODE_HOSTS) : "", aliases)
                    : content(List.of(podIp), name, aliases);
            Files.createDirectories(podDir);
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new ContainerConfigException("cannot write the pod's hosts file: " + e.getMessage());
        }
        return Optional.of(Mount.newBuilder().setHostPath(file.toString()).setContainerPath(PATH).build());
    }

    /** The file of a pod with its own network namespace. */
    static String content(List<String> podIps, PodHostname name, List<HostAlias> aliases) {
        StringBuilder hosts = new StringBuilder("# Kubernetes-managed hosts file.\n")
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                // upstream's addresses, fe00::0 for ip6-mcastprefix included, so files compare equal
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        for (String ip : podIps) {
            hosts.append(ip).append('\t');
            if (!name.domain().isEmpty()) {
                hosts.append(name.fqdn()).append('\t');
            }
            hosts.append(name.hostname()).append('\n');
        }
        return hosts.append(aliasEntries(aliases)).toString();
    }

    /** The file of a pod on the host network: the node's, with the pod's aliases. */
    static String hostNetworkContent(String nodeHosts, List<HostAlias> aliases) {
        return "# Kubernetes-managed hosts file (host network).\n" + nodeHosts + aliasEntries(aliases);
    }

    private static String aliasEntries(List<HostAlias> aliases) {
        if (aliases.isEmpty()) {
            return "";
        }
        StringBuilder entries = new StringBuilder("\n# Entries added by HostAliases.\n");
        for (HostAlias alias : aliases) {
            List<String> names = alias.getHostnames() == null ? List.of() : alias.getHostnames();
            entries.append(alias.getIp()).append('\t').append(String.join("\t", names)).append('\n');
        }
        return entries.toString();
    }

    private static boolean mountsItsOwn(Container container) {
        List<VolumeMount> mounts = container.getVolumeMounts();
        return mounts != null && mounts.stream().anyMatch(m -> PATH.equals(m.getMountPath()));
    }
}
