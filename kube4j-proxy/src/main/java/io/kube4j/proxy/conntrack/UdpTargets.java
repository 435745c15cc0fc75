package io.kube4j.proxy.conntrack;

import io.kube4j.proxy.model.Endpoint;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.net.Ipv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where UDP service traffic may legitimately go: for every UDP service address and port (ClusterIP, external and
 * load-balancer IPs) and every UDP NodePort, the addresses of the endpoints that serve it.
 */
record UdpTargets(Map<String, Set<String>> byServiceAddress, Map<Integer, Set<String>> byNodePort) {

    static UdpTargets of(List<ServicePortInfo> ports) {
        Map<String, Set<String>> byAddress = new HashMap<>();
        Map<Integer, Set<String>> byNodePort = new HashMap<>();
        for (ServicePortInfo port : ports) {
            if (port.name().protocol() != Protocol.UDP) {
                continue;
            }
            Set<String> serving = new HashSet<>();
            for (Endpoint e : port.endpoints()) {
                // terminating endpoints that still serve may receive traffic, so their flows are not stale yet
                if (e.ready() || e.serving()) {
                    serving.add(e.ip());
                }
            }
            List<String> addresses = new ArrayList<>();
            addresses.add(port.clusterIp());
            addresses.addAll(port.externalIps());
            addresses.addAll(port.loadBalancerIps());
            for (String address : addresses) {
                byAddress.computeIfAbsent(address + ":" + port.port(), k -> new HashSet<>()).addAll(serving);
            }
            if (port.nodePort() > 0) {
                byNodePort.computeIfAbsent(port.nodePort(), k -> new HashSet<>()).addAll(serving);
            }
        }
        return new UdpTargets(Map.copyOf(byAddress), Map.copyOf(byNodePort));
    }

    /**
     * The flows that would keep sending packets where they no longer belong, as upstream's conntrack cleanup
     * finds them: to a service address or NodePort but answered by something that is no serving endpoint (an
     * endpoint that went away, or the service itself when it had no endpoints and the flow was never DNATed),
     * or to an address of the service network that no UDP service port has any more.
     */
    Set<UdpFlow> stale(List<UdpFlow> flows, String serviceCidr) {
        Set<UdpFlow> stale = new LinkedHashSet<>();
        for (UdpFlow flow : flows) {
            Set<String> serving = byServiceAddress.get(flow.origDst() + ":" + flow.origDstPort());
            if (serving != null) {
                if (!serving.contains(flow.replySrc())) {
                    stale.add(flow);
                }
                continue;
            }
            if (inServiceNetwork(serviceCidr, flow.origDst())) {
                stale.add(flow);
                continue;
            }
            Set<String> nodePortServing = byNodePort.get(flow.origDstPort());
            if (nodePortServing != null && !nodePortServing.contains(flow.replySrc())) {
                stale.add(flow);
            }
        }
        return stale;
    }

    private static boolean inServiceNetwork(String serviceCidr, String ip) {
        try {
            return Ipv4.contains(serviceCidr, ip);
        } catch (IllegalArgumentException notIpv4) {
            return false;
        }
    }
}
