package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;

import java.util.List;

/** The metrics.k8s.io/v1beta1 resources, as metrics-server registers them: read-only, never stored. */
public final class ResourceMetricsTypes {

    public static final String GROUP = "metrics.k8s.io";
    public static final String VERSION = "v1beta1";
    public static final ResourceType NODES = new ResourceType(GROUP, VERSION, "NodeMetrics", "nodes", "",
            false, List.of(), List.of(), List.of("get", "list"), List.of());
    public static final ResourceType PODS = new ResourceType(GROUP, VERSION, "PodMetrics", "pods", "",
            true, List.of(), List.of(), List.of("get", "list"), List.of());

    private ResourceMetricsTypes() {
    }

    /** Adds the resources to the registry so discovery lists them (kubectl top looks for the group there). */
    public static void register(ResourceRegistry registry) {
        for (ResourceType type : List.of(NODES, PODS)) {
            if (registry.find(type.group(), type.version(), type.plural()).isEmpty()) {
                registry.add(type);
            }
        }
    }
}
