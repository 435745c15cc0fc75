package io.kube4j.apiserver.apiregistration;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The groupPriorityMinimum and versionPriority of the Local APIService of each built-in group/version: upstream
 * 1.32's table (kube-apiserver's {@code apiVersionPriorities} merged over the generic control plane's), for the
 * group/versions kube4j serves or may serve, plus two kube4j serves that upstream's kube-apiserver does not list.
 * As upstream, a group/version missing here gets no APIService: a custom resource's group/version must never be
 * registered as a built-in, or it would stay in the list after its CRD is gone.
 */
final class ApiServicePriorities {

    /** What the CRD registration gives every custom resource group/version (upstream's crdRegistrationController). */
    static final Priority CUSTOM_RESOURCE = new Priority(1000, 100);

    private static final Map<String, Priority> BY_GROUP_VERSION = new HashMap<>();

    static {
        put("", "v1", 18000, 1);
        put("apps", "v1", 17800, 15);
        put("events.k8s.io", "v1", 17750, 15);
        put("authentication.k8s.io", "v1", 17700, 15);
        put("authorization.k8s.io", "v1", 17600, 15);
        put("autoscaling", "v1", 17500, 15);
        put("autoscaling", "v2", 17500, 30);
        put("batch", "v1", 17400, 15);
        put("certificates.k8s.io", "v1", 17300, 15);
        put("networking.k8s.io", "v1", 17200, 15);
        put("policy", "v1", 17100, 15);
        put("rbac.authorization.k8s.io", "v1", 17000, 15);
        put("storage.k8s.io", "v1", 16800, 15);
        put("apiextensions.k8s.io", "v1", 16700, 15);
        put("admissionregistration.k8s.io", "v1", 16700, 15);
        put("scheduling.k8s.io", "v1", 16600, 15);
        put("coordination.k8s.io", "v1", 16500, 15);
        put("node.k8s.io", "v1", 16300, 15);
        put("discovery.k8s.io", "v1", 16200, 15);
        put("flowcontrol.apiserver.k8s.io", "v1", 16100, 21);
        put("flowcontrol.apiserver.k8s.io", "v1beta3", 16100, 18);
        // kube4j's own: the aggregator's group, which upstream lists first in discovery (at 20001, above what an
        // APIService may ask for), and metrics.k8s.io, which kube4j serves in process where k3s runs metrics-server:
        // the priorities of metrics-server's own APIService manifest
        put("apiregistration.k8s.io", "v1", 20000, 15);
        put("metrics.k8s.io", "v1beta1", 100, 100);
    }

    /** The two priorities of an APIService's spec. */
    record Priority(int group, int version) {
    }

    private ApiServicePriorities() {
    }

    private static void put(String group, String version, int groupPriority, int versionPriority) {
        BY_GROUP_VERSION.put(group + "/" + version, new Priority(groupPriority, versionPriority));
    }

    /** The built-in priorities of group/version; empty when it is no built-in group/version. */
    static Optional<Priority> builtin(String group, String version) {
        return Optional.ofNullable(BY_GROUP_VERSION.get(group + "/" + version));
    }
}
