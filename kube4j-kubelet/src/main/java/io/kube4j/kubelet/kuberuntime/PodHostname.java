package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod's host name and, when it names a subdomain, its domain ({@code SUBDOMAIN.NAMESPACE.svc.CLUSTER_DOMAIN}), as
 * upstream's kubelet derives them (GeneratePodHostNameAndDomain): the sandbox's hostname and the pod's /etc/hosts
 * entry, so a StatefulSet's pod knows itself by the name its headless Service gives it in DNS.
 */
public record PodHostname(String hostname, String domain) {
    /** The longest host name the kernel holds (64 bytes with the terminating NUL). */
    private static final int MAX_LENGTH = 63;

    public static PodHostname of(Pod pod, String clusterDomain) {
        var spec = pod.getSpec();
        String name = spec.getHostname() != null && !spec.getHostname().isEmpty()
                ? spec.getHostname() : pod.getMetadata().getName();
        if (name.length() > MAX_LENGTH) {
            // cut, and a host name does not end with '-' or '.'
            name = name.substring(0, MAX_LENGTH).replaceAll("[-.]+$", "");
        }
        String subdomain = spec.getSubdomain();
        String domain = subdomain == null || subdomain.isEmpty() ? ""
                : subdomain + "." + pod.getMetadata().getNamespace() + ".svc." + clusterDomain;
        return new PodHostname(name, domain);
    }

    /** The fully qualified name, or the host name alone without a domain. */
    public String fqdn() {
        return domain.isEmpty() ? hostname : hostname + "." + domain;
    }
}
