package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.allocation.ClusterIpAllocator;
import io.kube4j.apiserver.registry.allocation.NodePortAllocator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services: a ClusterIP from the service CIDR and NodePorts from 30000-32767, both allocated in the store so
 * that no two services share one; freed again on delete.
 */
public final class ServiceStrategy extends DefaultStrategy {

    private final ClusterIpAllocator ips;
    private final NodePortAllocator ports;

    public ServiceStrategy(ResourceType type, ClusterIpAllocator ips, NodePortAllocator ports) {
        super(type);
        this.ips = ips;
        this.ports = ports;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").putObject("loadBalancer");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForUpdate(obj, old);
        ObjectNode spec = Json.child(obj, "spec");
        // clusterIP is immutable; a client that leaves it out keeps the old one
        for (String field : List.of("clusterIP", "clusterIPs")) {
            if (!spec.has(field) && old.path("spec").has(field)) {
                spec.set(field, old.path("spec").get(field).deepCopy());
            }
        }
        if (needsNodePorts(spec)) {
            // ports listed without a nodePort keep the one they had
            for (JsonNode port : spec.path("ports")) {
                if (!port.has("nodePort")) {
                    for (JsonNode oldPort : old.path("spec").path("ports")) {
                        if (oldPort.path("port").equals(port.path("port"))
                                && oldPort.path("protocol").equals(port.path("protocol")) && oldPort.has("nodePort")) {
                            ((ObjectNode) port).set("nodePort", oldPort.get("nodePort"));
                        }
                    }
                }
            }
        }
    }

    @Override
    public void beforeCreate(ObjectNode obj, boolean dryRun) {
        ObjectNode spec = Json.child(obj, "spec");
        String type = spec.path("type").asString("ClusterIP");
        String requestedIp = Json.text(spec, "clusterIP");
        if (!"ExternalName".equals(type) && !"None".equals(requestedIp)) {
            String ip = requestedIp == null || requestedIp.isEmpty() ? ips.allocate(dryRun)
                    : claimIp(name(obj), requestedIp, dryRun);
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
        } else if ("None".equals(requestedIp)) {
            spec.putArray("clusterIPs").add("None");
        }
        if (needsNodePorts(spec)) {
            List<Integer> claimed = new ArrayList<>();
            int index = 0;
            try {
                for (JsonNode port : spec.path("ports")) {
                    int nodePort = port.path("nodePort").asInt(0);
                    if (nodePort == 0 && !allocatesNodePorts(spec)) {
                        index++;
                        continue;
                    }
                    if (nodePort == 0) {
                        nodePort = ports.allocate(dryRun);
                        ((ObjectNode) port).put("nodePort", nodePort);
                    } else {
                        claimPort(name(obj), index, nodePort, dryRun);
                    }
                    claimed.add(nodePort);
                    index++;
                }
            } catch (RuntimeException e) {
                if (!dryRun) {
                    claimed.forEach(ports::release);
                    releaseIp(spec);
                }
                throw e;
            }
        }
    }

    @Override
    public void rollbackCreate(ObjectNode obj) {
        afterDelete(obj);
    }

    @Override
    public void beforeUpdate(ObjectNode obj, ObjectNode old, boolean dryRun) {
        ObjectNode spec = Json.child(obj, "spec");
        Set<Integer> oldPorts = nodePorts(old.path("spec"));
        Set<Integer> newPorts = new HashSet<>();
        if (needsNodePorts(spec)) {
            int index = 0;
            for (JsonNode port : spec.path("ports")) {
                int nodePort = port.path("nodePort").asInt(0);
                index++;
                if (nodePort == 0 && !allocatesNodePorts(spec)) {
                    continue;
                }
                if (nodePort == 0) {
                    nodePort = ports.allocate(dryRun);
                    ((ObjectNode) port).put("nodePort", nodePort);
                } else if (!oldPorts.contains(nodePort)) {
                    claimPort(name(obj), index - 1, nodePort, dryRun);
                }
                newPorts.add(nodePort);
            }
        } else {
            for (JsonNode port : spec.path("ports")) {
                ((ObjectNode) port).remove("nodePort");
            }
        }
        if (!dryRun) {
            oldPorts.stream().filter(p -> !newPorts.contains(p)).forEach(ports::release);
        }
    }

    @Override
    public void afterDelete(ObjectNode obj) {
        releaseIp(Json.child(obj, "spec"));
        nodePorts(obj.path("spec")).forEach(ports::release);
    }

    private void releaseIp(ObjectNode spec) {
        String ip = Json.text(spec, "clusterIP");
        if (ip != null && !ip.isEmpty() && !ip.equals("None")) {
            ips.release(ip);
        }
    }

    private static String name(ObjectNode obj) {
        String name = Json.text(obj, "metadata", "name");
        return name == null ? "" : name;
    }

    private String claimIp(String name, String ip, boolean dryRun) {
        try {
            ips.claim(ip, dryRun);
            return ip;
        } catch (IllegalArgumentException e) {
            throw invalid(name, "spec.clusterIPs", "Invalid value: [\"" + ip + "\"]: failed to allocate IP " + ip
                    + ": " + e.getMessage());
        }
    }

    private void claimPort(String name, int index, int port, boolean dryRun) {
        try {
            ports.claim(port, dryRun);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "spec.ports[" + index + "].nodePort", "Invalid value: " + port + ": " + e.getMessage());
        }
    }

    private static StatusException invalid(String name, String field, String message) {
        return StatusException.invalid("", "Service", name, List.of(new StatusCause("FieldValueInvalid", message,
                field)));
    }

    private static boolean needsNodePorts(JsonNode spec) {
        String type = spec.path("type").asString("ClusterIP");
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    /**
     * Upstream's shouldAllocateNodePorts: a LoadBalancer with {@code allocateLoadBalancerNodePorts: false} gets no
     * node port allocated, though the ones it names are still claimed.
     */
    private static boolean allocatesNodePorts(JsonNode spec) {
        return !"LoadBalancer".equals(spec.path("type").asString(""))
                || spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
    }

    private static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> result = new HashSet<>();
        for (JsonNode port : spec.path("ports")) {
            if (port.path("nodePort").asInt(0) > 0) {
                result.add(port.path("nodePort").asInt());
            }
        }
        return result;
    }
}
