package io.kube4j.api.openapi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fabric8 classes do not say about upstream's types: which fields are required (the Go types omit
 * {@code omitempty}), which string fields hold a {@code metav1.Time}, which structs are atomic maps. Keyed by upstream
 * definition name.
 */
final class KnownFields {

    private static final String APPS = "io.k8s.api.apps.v1.";
    private static final String BATCH = "io.k8s.api.batch.v1.";
    private static final String CORE = ModelTypes.CORE;
    private static final String META = ModelTypes.META;
    private static final String RBAC = "io.k8s.api.rbac.v1.";
    private static final String NETWORKING = "io.k8s.api.networking.v1.";
    private static final String CRD = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

    private static final Map<String, List<String>> REQUIRED = new HashMap<>();

    /** Fields fabric8 types as plain strings that upstream types as {@code metav1.Time}. */
    private static final Set<String> TIME_FIELDS = Set.of("creationTimestamp", "deletionTimestamp",
            "lastTransitionTime", "lastProbeTime", "lastUpdateTime", "lastHeartbeatTime", "startTime", "startedAt",
            "finishedAt", "completionTime", "lastScheduleTime", "lastSuccessfulTime", "firstTimestamp",
            "lastTimestamp", "lastScaleTime", "expirationTimestamp", "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp", "timeAdded");

    /** Structs upstream marks {@code +structType=atomic}: replaced whole by apply. */
    private static final Set<String> ATOMIC_STRUCTS = Set.of(META + "LabelSelector", CORE + "ObjectReference",
            CORE + "LocalObjectReference", CORE + "NodeSelector", CORE + "NodeSelectorTerm",
            CORE + "ConfigMapKeySelector", CORE + "SecretKeySelector", CORE + "ObjectFieldSelector",
            CORE + "ResourceFieldSelector", CORE + "TypedLocalObjectReference", CORE + "TopologySelectorTerm",
            CORE + "SecretReference", CORE + "ConfigMapEnvSource", CORE + "SecretEnvSource");

    static {
        required(CORE + "PodSpec", "containers");
        required(CORE + "Container", "name");
        required(CORE + "EphemeralContainer", "name");
        required(CORE + "ContainerPort", "containerPort");
        required(CORE + "EnvVar", "name");
        required(CORE + "VolumeMount", "name", "mountPath");
        required(CORE + "VolumeDevice", "name", "devicePath");
        required(CORE + "Volume", "name");
        required(CORE + "KeyToPath", "key", "path");
        required(CORE + "ConfigMapKeySelector", "key");
        required(CORE + "SecretKeySelector", "key");
        required(CORE + "ObjectFieldSelector", "fieldPath");
        required(CORE + "ResourceFieldSelector", "resource");
        required(CORE + "HTTPGetAction", "port");
        required(CORE + "TCPSocketAction", "port");
        required(CORE + "GRPCAction", "port");
        required(CORE + "HTTPHeader", "name", "value");
        required(CORE + "Taint", "key", "effect");
        required(CORE + "NodeSelector", "nodeSelectorTerms");
        required(CORE + "NodeSelectorRequirement", "key", "operator");
        required(CORE + "PreferredSchedulingTerm", "weight", "preference");
        required(CORE + "PodAffinityTerm", "topologyKey");
        required(CORE + "WeightedPodAffinityTerm", "weight", "podAffinityTerm");
        required(CORE + "TopologySpreadConstraint", "maxSkew", "topologyKey", "whenUnsatisfiable");
        required(CORE + "ServicePort", "port");
        required(CORE + "EndpointAddress", "ip");
        required(CORE + "EndpointPort", "port");
        required(CORE + "Binding", "target");
        required(CORE + "Event", "metadata", "involvedObject");
        required(CORE + "PodCondition", "type", "status");
        required(CORE + "NodeCondition", "type", "status");
        required(CORE + "NodeAddress", "type", "address");
        required(CORE + "NamespaceCondition", "type", "status");
        required(CORE + "PersistentVolumeClaimCondition", "type", "status");
        required(CORE + "ReplicationControllerCondition", "type", "status");
        required(CORE + "ContainerStatus", "name", "ready", "restartCount", "image", "imageID");
        required(CORE + "LimitRangeSpec", "limits");
        required(CORE + "LimitRangeItem", "type");
        required(CORE + "ReplicationControllerStatus", "replicas");
        required(CORE + "ScopedResourceSelectorRequirement", "scopeName", "operator");
        required(META + "LabelSelectorRequirement", "key", "operator");
        required(META + "OwnerReference", "apiVersion", "kind", "name", "uid");
        required(META + "Condition", "type", "status", "lastTransitionTime", "reason", "message");
        required(META + "WatchEvent", "type", "object");
        required(APPS + "DeploymentSpec", "selector", "template");
        required(APPS + "ReplicaSetSpec", "selector");
        required(APPS + "StatefulSetSpec", "selector", "template");
        required(APPS + "DaemonSetSpec", "selector", "template");
        required(APPS + "ControllerRevision", "revision");
        required(APPS + "ReplicaSetStatus", "replicas");
        required(APPS + "StatefulSetStatus", "replicas");
        required(APPS + "DaemonSetStatus", "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                "numberReady");
        for (String condition : List.of("DeploymentCondition", "ReplicaSetCondition", "StatefulSetCondition",
                "DaemonSetCondition")) {
            required(APPS + condition, "type", "status");
        }
        required(BATCH + "JobSpec", "template");
        required(BATCH + "CronJobSpec", "schedule", "jobTemplate");
        required(BATCH + "JobCondition", "type", "status");
        required("io.k8s.api.discovery.v1.EndpointSlice", "addressType", "endpoints");
        required("io.k8s.api.discovery.v1.Endpoint", "addresses");
        required("io.k8s.api.events.v1.Event", "eventTime");
        required(NETWORKING + "HTTPIngressRuleValue", "paths");
        required(NETWORKING + "HTTPIngressPath", "pathType", "backend");
        required(NETWORKING + "IngressServiceBackend", "name");
        required(NETWORKING + "IPBlock", "cidr");
        required("io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec", "scaleTargetRef", "maxReplicas");
        required("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec", "scaleTargetRef", "maxReplicas");
        required("io.k8s.api.autoscaling.v1.CrossVersionObjectReference", "kind", "name");
        required("io.k8s.api.autoscaling.v2.CrossVersionObjectReference", "kind", "name");
        required("io.k8s.api.autoscaling.v2.MetricSpec", "type");
        required(RBAC + "RoleRef", "apiGroup", "kind", "name");
        required(RBAC + "Subject", "kind", "name");
        required(RBAC + "PolicyRule", "verbs");
        required(RBAC + "RoleBinding", "roleRef");
        required(RBAC + "ClusterRoleBinding", "roleRef");
        required("io.k8s.api.storage.v1.StorageClass", "provisioner");
        required("io.k8s.api.scheduling.v1.PriorityClass", "value");
        required("io.k8s.api.node.v1.RuntimeClass", "handler");
        required("io.k8s.api.storage.v1.CSIDriver", "spec");
        required("io.k8s.api.storage.v1.CSINode", "spec");
        required("io.k8s.api.storage.v1.CSINodeSpec", "drivers");
        required("io.k8s.api.storage.v1.CSINodeDriver", "name", "nodeID");
        required("io.k8s.api.storage.v1.CSIStorageCapacity", "storageClassName");
        required("io.k8s.api.storage.v1.VolumeAttachment", "spec");
        required("io.k8s.api.storage.v1.VolumeAttachmentSpec", "attacher", "source", "nodeName");
        required("io.k8s.api.storage.v1.VolumeAttachmentStatus", "attached");
        required("io.k8s.api.core.v1.ComponentCondition", "type", "status");
        required(CRD + "CustomResourceDefinition", "spec");
        required(CRD + "CustomResourceDefinitionSpec", "group", "names", "scope", "versions");
        required(CRD + "CustomResourceDefinitionNames", "plural", "kind");
        required(CRD + "CustomResourceDefinitionVersion", "name", "served", "storage");
        required(CRD + "CustomResourceColumnDefinition", "name", "type", "jsonPath");
    }

    private KnownFields() {
    }

    private static void required(String definition, String... fields) {
        REQUIRED.put(definition, List.of(fields));
    }

    /** Required fields of a definition; list kinds always require {@code items}. */
    static List<String> required(String definition, Set<String> properties) {
        List<String> fields = REQUIRED.get(definition);
        if (fields == null && definition.endsWith("List") && properties.contains("items")
                && properties.contains("metadata")) {
            return List.of("items");
        }
        return fields == null ? List.of() : fields.stream().filter(properties::contains).toList();
    }

    static boolean isTime(String property) {
        return TIME_FIELDS.contains(property);
    }

    static boolean isAtomicStruct(String definition) {
        return ATOMIC_STRUCTS.contains(definition);
    }
}
