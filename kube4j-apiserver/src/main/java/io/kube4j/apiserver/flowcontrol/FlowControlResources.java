package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.ResourceStrategy;

/**
 * The flowcontrol.apiserver.k8s.io/v1 resources, FlowSchemas and PriorityLevelConfigurations (built-in types of
 * kube4j-api's registry): stored like any other object with the strategies chosen here, and read by
 * {@link FlowControlConfigController} through their watch caches.
 */
public final class FlowControlResources {

    public static final String GROUP = "flowcontrol.apiserver.k8s.io";
    public static final String VERSION = "v1";
    public static final String FLOW_SCHEMAS = "flowschemas";
    public static final String PRIORITY_LEVELS = "prioritylevelconfigurations";

    private FlowControlResources() {
    }

    /** The strategy of one of these resources, or null for a type of another group. */
    public static ResourceStrategy strategyFor(ResourceType type) {
        return type.group().equals(GROUP) ? new FlowControlStrategy(type) : null;
    }
}
