package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceType;

import java.util.Set;

/**
 * Which built-in kinds keep {@code metadata.generation}: exactly those whose upstream 1.32 strategy
 * ({@code pkg/registry/<group>/<resource>/strategy.go}) sets {@code Generation = 1} on create and bumps it when the
 * spec changes, and CSIDriver, whose strategy only bumps it (its PrepareForCreate sets none, so a new driver has no
 * generation and its first spec change makes it 1). Every other built-in kind stores no generation, whatever the
 * request says: pods (PodGeneration is 1.33), services, nodes, namespaces, config maps, secrets, leases, RBAC objects,
 * events, storage and priority classes, controller revisions, CSRs, HPAs (HPAGeneration is later than 1.32), ...
 * Custom resources always keep one (their own strategy).
 */
public final class GenerationTracking {

    /** {@code group/Kind} of the built-in kinds whose upstream strategy keeps a generation. */
    private static final Set<String> KINDS = Set.of(
            "/ReplicationController", "/PodTemplate",
            "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet",
            "batch/Job", "batch/CronJob",
            "networking.k8s.io/Ingress", "networking.k8s.io/IngressClass", "networking.k8s.io/NetworkPolicy",
            "policy/PodDisruptionBudget",
            "discovery.k8s.io/EndpointSlice",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "flowcontrol.apiserver.k8s.io/FlowSchema", "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
            "apiextensions.k8s.io/CustomResourceDefinition");

    /** {@code group/Kind} of the built-in kinds whose upstream strategy bumps the generation but sets none on create. */
    private static final Set<String> BUMPED_ONLY = Set.of("storage.k8s.io/CSIDriver");

    private GenerationTracking() {
    }

    /** Whether upstream's strategy of this built-in kind bumps metadata.generation when the spec changes. */
    public static boolean tracks(ResourceType type) {
        String kind = type.group() + "/" + type.kind();
        return KINDS.contains(kind) || BUMPED_ONLY.contains(kind);
    }

    /** Whether upstream's strategy of this built-in kind sets metadata.generation to 1 on create. */
    public static boolean startsOnCreate(ResourceType type) {
        return KINDS.contains(type.group() + "/" + type.kind());
    }

    /**
     * Whether a change of metadata.labels alone bumps the generation: upstream's EndpointSlice strategy counts
     * labels with the rest of the object (the EndpointSlice controllers key on them).
     */
    public static boolean labelsBump(ResourceType type) {
        return type.group().equals("discovery.k8s.io") && type.kind().equals("EndpointSlice");
    }
}
