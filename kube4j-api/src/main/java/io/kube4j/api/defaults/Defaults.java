package io.kube4j.api.defaults;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's v1 defaulting of built-in kinds ({@code pkg/apis/<group>/v1/defaults.go} and the generated
 * defaulters that walk nested types), applied in place to a generic object tree. Idempotent: set fields are
 * never overwritten, so it is safe on create and on update.
 */
public final class Defaults {
    private Defaults() {
    }

    private static final Map<String, Consumer<ObjectNode>> BY_KIND = new HashMap<>();
    private static final Consumer<ObjectNode> NONE = obj -> {
    };

    static {
        register("", "Pod", PodDefaults::pod);
        register("", "PodTemplate", o -> PodDefaults.template(Nodes.obj(o, "template")));
        register("", "ReplicationController", CoreDefaults::replicationController);
        register("", "Service", ServiceDefaults::service);
        register("", "Endpoints", CoreDefaults::endpoints);
        register("", "Namespace", CoreDefaults::namespace);
        register("", "Node", CoreDefaults::node);
        register("", "Secret", CoreDefaults::secret);
        register("", "PersistentVolume", CoreDefaults::persistentVolume);
        register("", "PersistentVolumeClaim", CoreDefaults::persistentVolumeClaim);
        register("", "LimitRange", CoreDefaults::limitRange);
        register("apps", "Deployment", WorkloadDefaults::deployment);
        register("apps", "ReplicaSet", WorkloadDefaults::replicaSet);
        register("apps", "StatefulSet", WorkloadDefaults::statefulSet);
        register("apps", "DaemonSet", WorkloadDefaults::daemonSet);
        register("batch", "Job", WorkloadDefaults::job);
        register("batch", "CronJob", WorkloadDefaults::cronJob);
        register("discovery.k8s.io", "EndpointSlice", OtherDefaults::endpointSlice);
        register("networking.k8s.io", "NetworkPolicy", OtherDefaults::networkPolicy);
        register("autoscaling", "HorizontalPodAutoscaler", OtherDefaults::horizontalPodAutoscaler);
        register("storage.k8s.io", "StorageClass", OtherDefaults::storageClass);
        register("storage.k8s.io", "CSIDriver", OtherDefaults::csiDriver);
        register("scheduling.k8s.io", "PriorityClass", OtherDefaults::priorityClass);
        register("rbac.authorization.k8s.io", "RoleBinding", OtherDefaults::roleBinding);
        register("rbac.authorization.k8s.io", "ClusterRoleBinding", OtherDefaults::roleBinding);
        register("apiextensions.k8s.io", "CustomResourceDefinition", OtherDefaults::customResourceDefinition);
        register("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", WebhookDefaults::validating);
        register("admissionregistration.k8s.io", "MutatingWebhookConfiguration", WebhookDefaults::mutating);
        register("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", AdmissionPolicyDefaults::policy);
        register("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", AdmissionPolicyDefaults::binding);
        register("apiregistration.k8s.io", "APIService", OtherDefaults::apiService);
        register("flowcontrol.apiserver.k8s.io", "FlowSchema", FlowControlDefaults::flowSchema);
        register("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", FlowControlDefaults::priorityLevel);
    }

    private static void register(String group, String kind, Consumer<ObjectNode> f) {
        BY_KIND.put(group + "/" + kind, f);
    }

    /** Fills in the defaults of {@code obj} in place; {@code group} is "" for core. No-op for unknown kinds. */
    public static void apply(String group, String kind, ObjectNode obj) {
        if (obj != null) {
            forKind(group, kind).accept(obj);
        }
    }

    /**
     * The defaulting of a kind, for a caller that applies it to many objects (a registry resolves its resource's
     * once): looking the kind up built a group/kind key on every create and update. Does nothing for unknown kinds.
     */
    public static Consumer<ObjectNode> forKind(String group, String kind) {
        return BY_KIND.getOrDefault((group == null ? "" : group) + "/" + kind, NONE);
    }

    /** Whether {@link #apply} does anything for this kind. */
    public static boolean hasDefaults(String group, String kind) {
        return BY_KIND.containsKey((group == null ? "" : group) + "/" + kind);
    }
}
