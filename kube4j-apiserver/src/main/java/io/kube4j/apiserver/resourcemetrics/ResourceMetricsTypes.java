package io.kube4j.apiserver.resourcemetrics;

/**
 * Where the metrics.k8s.io/v1beta1 resources live. They are built-in types of kube4j-api's registry (read-only, never
 * stored), so discovery and the OpenAPI documents list them as metrics-server's own registration would.
 */
public final class ResourceMetricsTypes {

    public static final String GROUP = "metrics.k8s.io";
    public static final String VERSION = "v1beta1";
    static final String NODES = "nodes";

    private ResourceMetricsTypes() {
    }
}
