package io.kube4j.kubelet.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.kube4j.kubelet.cm.ContainerResources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The downward API: fieldRef and resourceFieldRef values, shared by env vars and downwardAPI volumes. */
public final class FieldPaths {
    private FieldPaths() {
    }

    /** @param podIp empty until the sandbox has an address */
    public static String field(Pod pod, String path, String hostIp, String podIp) {
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            return orEmpty(meta.getLabels()).getOrDefault(path.substring(17, path.length() - 2), "");
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            return orEmpty(meta.getAnnotations()).getOrDefault(path.substring(22, path.length() - 2), "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "metadata.labels" -> format(meta.getLabels());
            case "metadata.annotations" -> format(meta.getAnnotations());
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.hostIP", "status.hostIPs" -> nullToEmpty(hostIp);
            case "status.podIP", "status.podIPs" -> nullToEmpty(podIp);
            default -> throw new ContainerConfigException("unsupported fieldPath: " + path);
        };
    }

    /** The value in units of the divisor, rounded up as upstream; no limit means the node's allocatable. */
    public static String resource(Pod pod, Container defaultContainer, ResourceFieldSelector selector,
                                  Map<String, Quantity> nodeAllocatable) {
        Container c = defaultContainer;
        if (selector.getContainerName() != null && !selector.getContainerName().isEmpty()) {
            c = pod.getSpec().getContainers().stream().filter(x -> x.getName().equals(selector.getContainerName()))
                    .findFirst().orElseThrow(() -> new ContainerConfigException("container " + selector.getContainerName() + " not found"));
        }
        String resource = selector.getResource();
        String[] parts = resource.split("\\.", 2);
        if (parts.length != 2) {
            throw new ContainerConfigException("unsupported container resource: " + resource);
        }
        Map<String, Quantity> values = c.getResources() == null ? null
                : parts[0].equals("limits") ? c.getResources().getLimits() : c.getResources().getRequests();
        Quantity q = values == null ? null : values.get(parts[1]);
        if (q == null && parts[0].equals("limits")) {
            q = nodeAllocatable.get(parts[1]);
        }
        BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : selector.getDivisor().getNumericalAmount();
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        if (q == null) {
            return "0";
        }
        BigDecimal value = q.getNumericalAmount().divide(divisor, 0, RoundingMode.CEILING);
        if (parts[1].equals("cpu") && value.signum() == 0 && ContainerResources.milli(q) > 0) {
            value = BigDecimal.ONE;
        }
        return value.toPlainString();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** key="value" lines, sorted, as upstream's downward API file format. */
    static String format(Map<String, String> map) {
        return new TreeMap<>(orEmpty(map)).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining("\n"));
    }
}
