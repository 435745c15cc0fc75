package io.kube4j.proxy.model;

import java.util.List;

/**
 * Everything the proxy needs about one Service port.
 *
 * @param clusterIp             the ClusterIP, or null for headless services (which get no rules)
 * @param nodePort              the NodePort, 0 when none
 * @param externalIps           spec.externalIPs
 * @param loadBalancerIps       the addresses a LoadBalancer Service is served on by this node
 * @param externalPolicyLocal   externalTrafficPolicy: Local
 * @param internalPolicyLocal   internalTrafficPolicy: Local
 * @param affinityTimeoutSeconds ClientIP session affinity timeout, 0 when affinity is off
 * @param endpoints             all endpoints of this port, whatever their conditions
 */
public record ServicePortInfo(ServicePortName name, String clusterIp, int port, int nodePort,
                              List<String> externalIps, List<String> loadBalancerIps,
                              boolean externalPolicyLocal, boolean internalPolicyLocal,
                              int affinityTimeoutSeconds, List<Endpoint> endpoints) {

    public ServicePortInfo {
        externalIps = List.copyOf(externalIps);
        loadBalancerIps = List.copyOf(loadBalancerIps);
        endpoints = List.copyOf(endpoints);
    }

    /** Whether traffic may reach this port from outside the cluster (upstream's ExternallyAccessible). */
    public boolean externallyAccessible() {
        return nodePort > 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
    }

    public ServicePortInfo withEndpoints(List<Endpoint> newEndpoints) {
        return new ServicePortInfo(name, clusterIp, port, nodePort, externalIps, loadBalancerIps,
                externalPolicyLocal, internalPolicyLocal, affinityTimeoutSeconds, newEndpoints);
    }
}
