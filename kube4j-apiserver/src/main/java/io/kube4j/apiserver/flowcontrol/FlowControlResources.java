package io.kube4j.apiserver.flowcontrol;

/**
 * The flowcontrol.apiserver.k8s.io/v1 resources, FlowSchemas and PriorityLevelConfigurations (built-in types of
 * kube4j-api's registry): stored like any other object (the default strategy; their generation is kept as
 * {@link io.kube4j.apiserver.registry.GenerationTracking} says), and read by
 * {@link FlowControlConfigController} through their watch caches.
 */
public final class FlowControlResources {

    public static final String GROUP = "flowcontrol.apiserver.k8s.io";
    public static final String VERSION = "v1";
    public static final String FLOW_SCHEMAS = "flowschemas";
    public static final String PRIORITY_LEVELS = "prioritylevelconfigurations";

    private FlowControlResources() {
    }
}
