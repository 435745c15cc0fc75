package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Turns Services and EndpointSlices (as the API serves them) into the proxy's port model. */
public final class ServiceSnapshots {

    /** The label an EndpointSlice carries to name its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /**
     * The index of EndpointSlices by their Service's {@code ns/name} ({@link #serviceKeys}), on the informer the proxy
     * and cluster DNS share.
     */
    public static final String SLICES_BY_SERVICE = "kube4j-service";
    static final int DEFAULT_AFFINITY_TIMEOUT = 10800;

    private ServiceSnapshots() {
    }

    /** The Service ({@code ns/name}) a slice belongs to. */
    public static Optional<String> serviceKey(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null ? Optional.empty() : Optional.of(slice.getMetadata().getNamespace() + "/" + service);
    }

    /** {@link #serviceKey} as index keys. */
    public static List<String> serviceKeys(EndpointSlice slice) {
        return serviceKey(slice).map(List::of).orElse(List.of());
    }

    /**
     * Builds the service ports the proxy programs, sorted by name so the rules come out stable.
     *
     * @param nodeIps the addresses of this node; LoadBalancer Services are served on them
     */
    public static List<ServicePortInfo> build(Collection<Service> services, Collection<EndpointSlice> slices,
                                              List<String> nodeIps) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getMetadata() == null || slice.getMetadata().getLabels() == null) {
                continue;
            }
            String svc = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (svc == null || !"IPv4".equals(slice.getAddressType())) {
                continue;
            }
            slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>())
                    .add(slice);
        }
        List<ServicePortInfo> result = new ArrayList<>();
        for (Service service : services) {
            if (service.getSpec() == null || service.getSpec().getPorts() == null) {
                continue;
            }
            String clusterIp = service.getSpec().getClusterIP();
            if ("ExternalName".equals(service.getSpec().getType()) || clusterIp == null || clusterIp.isEmpty()
                    || "None".equals(clusterIp) || clusterIp.contains(":")) {
                continue;
            }
            String ns = service.getMetadata().getNamespace();
            String name = service.getMetadata().getName();
            List<EndpointSlice> own = slicesByService.getOrDefault(ns + "/" + name, List.of());
            for (ServicePort port : service.getSpec().getPorts()) {
                result.add(portInfo(service, port, clusterIp, own, nodeIps));
            }
        }
        result.sort(Comparator.comparing(p -> p.name().display()));
        return result;
    }

    private static ServicePortInfo portInfo(Service service, ServicePort port, String clusterIp,
                                            List<EndpointSlice> slices, List<String> nodeIps) {
        var spec = service.getSpec();
        String portName = port.getName() == null ? "" : port.getName();
        Protocol protocol = Protocol.parse(port.getProtocol());
        ServicePortName spn = new ServicePortName(service.getMetadata().getNamespace(),
                service.getMetadata().getName(), portName.isEmpty() ? String.valueOf(port.getPort()) : portName,
                protocol);
        List<String> lbIps = new ArrayList<>();
        if ("LoadBalancer".equals(spec.getType())) {
            // servicelb style: every node serves the port on its own addresses
            lbIps.addAll(nodeIps);
            if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                    && service.getStatus().getLoadBalancer().getIngress() != null) {
                for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
                    if (ingress.getIp() != null && !ingress.getIp().contains(":") && !lbIps.contains(ingress.getIp())) {
                        lbIps.add(ingress.getIp());
                    }
                }
            }
        }
        int nodePort = port.getNodePort() == null ? 0 : port.getNodePort();
        if (!"NodePort".equals(spec.getType()) && !"LoadBalancer".equals(spec.getType())) {
            nodePort = 0;
        }
        List<String> externalIps = spec.getExternalIPs() == null ? List.of()
                : spec.getExternalIPs().stream().filter(ip -> !ip.contains(":")).distinct().toList();
        int affinity = 0;
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            affinity = DEFAULT_AFFINITY_TIMEOUT;
            if (spec.getSessionAffinityConfig() != null && spec.getSessionAffinityConfig().getClientIP() != null
                    && spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds() != null) {
                affinity = spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            }
        }
        boolean etpLocal = "Local".equals(spec.getExternalTrafficPolicy()) && (nodePort > 0 || !lbIps.isEmpty()
                || !externalIps.isEmpty());
        boolean itpLocal = "Local".equals(spec.getInternalTrafficPolicy());
        return new ServicePortInfo(spn, clusterIp, port.getPort(), nodePort, externalIps, lbIps, etpLocal, itpLocal,
                affinity, endpointsFor(portName, protocol, slices));
    }

    private static List<Endpoint> endpointsFor(String portName, Protocol protocol, List<EndpointSlice> slices) {
        Map<String, Endpoint> byAddress = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getPorts() == null || slice.getEndpoints() == null) {
                continue;
            }
            for (EndpointPort ep : slice.getPorts()) {
                String epName = ep.getName() == null ? "" : ep.getName();
                if (!epName.equals(portName) || Protocol.parse(ep.getProtocol()) != protocol || ep.getPort() == null) {
                    continue;
                }
                for (var endpoint : slice.getEndpoints()) {
                    EndpointConditions c = endpoint.getConditions();
                    // upstream: an unset ready counts as ready, unset serving follows ready
                    boolean ready = c == null || c.getReady() == null || c.getReady();
                    boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
                    boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
                    if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                        continue;
                    }
                    String ip = endpoint.getAddresses().get(0);
                    Endpoint e = new Endpoint(ip, ep.getPort(), ready, serving, terminating, endpoint.getNodeName());
                    byAddress.putIfAbsent(e.ipPort(), e);
                }
            }
        }
        List<Endpoint> list = new ArrayList<>(byAddress.values());
        list.sort(Comparator.comparing(Endpoint::ip, ServiceSnapshots::compareIps).thenComparingInt(Endpoint::port));
        return list;
    }

    private static int compareIps(String a, String b) {
        return Long.compare(ipValue(a), ipValue(b)) != 0 ? Long.compare(ipValue(a), ipValue(b)) : Objects.compare(a, b,
                String::compareTo);
    }

    private static long ipValue(String ip) {
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            return 0;
        }
        long v = 0;
        try {
            for (String p : parts) {
                v = v * 256 + Integer.parseInt(p);
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return v;
    }
}
