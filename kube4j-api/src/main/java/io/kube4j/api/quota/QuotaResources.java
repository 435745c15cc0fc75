package io.kube4j.api.quota;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource names a ResourceQuota tracks for pods and claims, as upstream's pod and PVC evaluators name them, for
 * the ResourceQuota admission plugin and the resourcequota controller (each with its own quantity type {@code Q}).
 */
public final class QuotaResources {
    /** Names the pod evaluator charges besides prefixed ones (upstream's podResources). */
    private static final Set<String> POD_RESOURCES = Set.of("count/pods", "pods", "cpu", "memory",
            "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
            "limits.memory", "limits.ephemeral-storage");
    private static final String STORAGE_CLASS = ".storageclass.storage.k8s.io/";
    private static final String HUGEPAGES = "hugepages-";
    private static final String REQUESTS = "requests.";

    private QuotaResources() {
    }

    /** The pod evaluator's MatchingResources: its names, hugepages and {@code requests.} of extended resources. */
    public static boolean podResource(String name) {
        return POD_RESOURCES.contains(name) || name.startsWith(HUGEPAGES) || name.startsWith(REQUESTS + HUGEPAGES)
                || !nativeResource(name) && name.startsWith(REQUESTS);
    }

    /** The PVC evaluator's MatchingResources. */
    public static boolean claimResource(String name) {
        return name.equals("persistentvolumeclaims") || name.equals("count/persistentvolumeclaims")
                || name.equals("requests.storage") || name.endsWith(STORAGE_CLASS + "persistentvolumeclaims")
                || name.endsWith(STORAGE_CLASS + "requests.storage");
    }

    /**
     * A running pod's compute usage from its effective requests and limits (upstream's podComputeUsageHelper, without
     * the {@code pods} count): cpu, memory and ephemeral-storage requests under their bare and {@code requests.}
     * names and their limits under {@code limits.}; hugepages requests under both names; extended resources only
     * as {@code requests.NAME} (they cannot be overcommitted, so their limits are not quota'd).
     */
    public static <Q> void podCompute(Map<String, Q> requests, Map<String, Q> limits, Map<String, Q> into) {
        for (String name : new String[]{"cpu", "memory", "ephemeral-storage"}) {
            if (requests.get(name) != null) {
                into.put(name, requests.get(name));
                into.put(REQUESTS + name, requests.get(name));
            }
            if (limits.get(name) != null) {
                into.put("limits." + name, limits.get(name));
            }
        }
        requests.forEach((name, value) -> {
            if (name.startsWith(HUGEPAGES)) {
                into.put(name, value);
                into.put(REQUESTS + name, value);
            } else if (extendedResource(name)) {
                into.put(REQUESTS + name, value);
            }
        });
    }

    /**
     * A claim's usage besides its counts (upstream's pvcEvaluator.Usage): its storage request under
     * {@code requests.storage} and, with a class, the class's claim count and storage.
     */
    public static <Q> void claim(String storageClass, Q storage, Q one, Map<String, Q> into) {
        boolean hasClass = storageClass != null && !storageClass.isEmpty();
        if (hasClass) {
            into.put(storageClass + STORAGE_CLASS + "persistentvolumeclaims", one);
        }
        if (storage != null) {
            into.put("requests.storage", storage);
            if (hasClass) {
                into.put(storageClass + STORAGE_CLASS + "requests.storage", storage);
            }
        }
    }

    /**
     * The node ports a service is charged to {@code services.nodeports} (upstream's serviceEvaluator.Usage): every port
     * of a NodePort service; of a LoadBalancer service every port too, unless it asks for no node ports
     * ({@code allocateLoadBalancerNodePorts: false}), when only the ports that name one explicitly count.
     *
     * @param nodePorts each port's {@code nodePort}, null or 0 where unset
     */
    public static long serviceNodePorts(String type, Boolean allocateLoadBalancerNodePorts, List<Integer> nodePorts) {
        if ("NodePort".equals(type)) {
            return nodePorts.size();
        }
        if (!"LoadBalancer".equals(type)) {
            return 0;
        }
        if (Boolean.FALSE.equals(allocateLoadBalancerNodePorts)) {
            return nodePorts.stream().filter(p -> p != null && p != 0).count();
        }
        return nodePorts.size();
    }

    /** Upstream's GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName. */
    public static String claimClass(Map<String, String> annotations, String storageClassName) {
        String beta = annotations == null ? null : annotations.get("volume.beta.kubernetes.io/storage-class");
        return beta != null ? beta : storageClassName;
    }

    /** Upstream's IsNativeResource: no domain, or one under kubernetes.io. */
    private static boolean nativeResource(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    /** Upstream's IsExtendedResourceName (a request name that is not native and not already prefixed). */
    private static boolean extendedResource(String name) {
        return !nativeResource(name) && !name.startsWith(REQUESTS);
    }
}
