package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.Endpoint;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServicePortName;

import java.util.List;

/** Service ports for rule tests. */
public final class Fixtures {

    public static final String NODE = "node-a";

    private Fixtures() {
    }

    public static Endpoint ready(String ip, int port, String node) {
        return new Endpoint(ip, port, true, true, false, node);
    }

    public static Endpoint terminating(String ip, int port, String node) {
        return new Endpoint(ip, port, false, true, true, node);
    }

    public static ServicePortInfo clusterIp(String name, String ip, int port, List<Endpoint> endpoints) {
        return new ServicePortInfo(new ServicePortName("default", name, "http", Protocol.TCP), ip, port, 0,
                List.of(), List.of(), false, false, 0, endpoints);
    }

    public static ServicePortInfo nodePort(String name, String ip, int port, int nodePort, boolean local,
                                           List<Endpoint> endpoints) {
        return new ServicePortInfo(new ServicePortName("default", name, "http", Protocol.TCP), ip, port, nodePort,
                List.of(), List.of(), local, false, 0, endpoints);
    }

    public static ServicePortInfo withAffinity(ServicePortInfo p, int timeout) {
        return new ServicePortInfo(p.name(), p.clusterIp(), p.port(), p.nodePort(), p.externalIps(),
                p.loadBalancerIps(), p.externalPolicyLocal(), p.internalPolicyLocal(), timeout, p.endpoints());
    }
}
