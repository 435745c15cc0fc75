package io.kube4j.api.protobuf;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;
import java.util.Set;

/**
 * What the .proto files cannot say about the Go types behind them and their JSON form: embedded structs
 * ({@code json:",inline"}), JSON names that are not identifiers, and pointer fields whose zero value means
 * something. The protobuf wire carries every non-pointer field even at its zero value, while Go's JSON omits
 * most of them ({@code omitempty}); zero values are therefore dropped unless listed here.
 */
final class JsonRules {

    private JsonRules() {
    }

    /** Embedded Go structs: the fields of the nested message appear directly in the enclosing JSON object. */
    private static final Set<String> INLINE = Set.of(
            "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
            "k8s.io.api.core.v1.SecretEnvSource.localObjectReference",
            "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
            "k8s.io.api.core.v1.SecretProjection.localObjectReference",
            "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
            "k8s.io.api.core.v1.Volume.volumeSource",
            "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
            "k8s.io.api.core.v1.Probe.handler",
            "k8s.io.api.networking.v1.IngressRule.ingressRuleValue",
            "k8s.io.api.admissionregistration.v1.RuleWithOperations.rule",
            "k8s.io.api.admissionregistration.v1.NamedRuleWithOperations.ruleWithOperations");

    /** JSON names that go-to-protobuf had to change into identifiers. */
    private static final Map<String, String> RENAMED = Map.of(
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.ref", "$ref",
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.schema", "$schema",
            "k8s.io.api.authentication.v1.BoundObjectReference.aPIVersion", "apiVersion",
            "k8s.io.api.authentication.v1.BoundObjectReference.uID", "uid",
            "k8s.io.api.networking.v1.IngressClassParametersReference.aPIGroup", "apiGroup");

    /**
     * Pointer fields where zero (0, "", false) is a real value, and required fields Go always writes. Matched by
     * JSON name, or by "Message.field" where the name alone is ambiguous: a match elsewhere only keeps a zero Go
     * would also have written or that means the same as an absent field.
     */
    private static final Set<String> KEEP_ZERO = Set.of(
            // workloads
            "DeploymentSpec.replicas", "ReplicaSetSpec.replicas", "StatefulSetSpec.replicas",
            "ReplicationControllerSpec.replicas", "ScaleSpec.replicas", "ReplicaSetStatus.replicas",
            "StatefulSetStatus.replicas", "ReplicationControllerStatus.replicas", "ScaleStatus.replicas",
            "parallelism", "completions", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
            "activeDeadlineSeconds", "ttlSecondsAfterFinished", "successfulJobsHistoryLimit",
            "failedJobsHistoryLimit", "startingDeadlineSeconds", "revisionHistoryLimit", "progressDeadlineSeconds",
            "partition", "maxUnavailable", "maxSurge", "minAvailable", "minReplicas", "maxReplicas",
            "currentReplicas", "desiredReplicas", "numberScheduled", "desiredNumberScheduled", "numberMisscheduled",
            "numberReady", "currentNumberScheduled", "suspend", "manualSelector",
            // pods
            "terminationGracePeriodSeconds", "runAsUser", "runAsGroup", "fsGroup", "defaultMode", "mode",
            "priority", "tolerationSeconds", "expirationSeconds", "containerPort", "port", "exitCode",
            "restartCount", "weight", "maxSkew", "ready", "started", "automountServiceAccountToken",
            "enableServiceLinks", "shareProcessNamespace", "setHostnameAsFQDN", "hostUsers", "privileged",
            "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "hostProcess", "optional",
            "immutable", "serving", "terminating", "allocateLoadBalancerNodePorts",
            // metadata, options, reviews
            "gracePeriodSeconds", "deletionGracePeriodSeconds", "orphanDependents", "controller",
            "blockOwnerDeletion", "force", "allowed", "incomplete", "namespaced", "served", "storage",
            // misc
            "value", "storageClassName", "allowVolumeExpansion", "attachRequired", "podInfoOnMount",
            "storageCapacity", "requiresRepublish", "seLinuxMount", "xKubernetesPreserveUnknownFields",
            // *int32 / *string in Go: a present zero or "" is the client's value
            "stabilizationWindowSeconds", "EndpointPort.name");

    static boolean isInline(FieldDescriptor field) {
        return INLINE.contains(field.getFullName());
    }

    static String jsonName(FieldDescriptor field) {
        String renamed = RENAMED.get(field.getFullName());
        if (renamed != null) {
            return renamed;
        }
        String name = field.getName();
        if (name.startsWith("xKubernetes")) {
            return kebabExtension(name);
        }
        if (name.length() > 1 && Character.isLowerCase(name.charAt(0)) && Character.isUpperCase(name.charAt(1))) {
            return lowerAcronym(name);
        }
        return name;
    }

    /**
     * go-to-protobuf names a field after its Go name with only the first letter lowered when the JSON tag is not
     * used (APIVersion -> aPIVersion, UID -> uID); the JSON tag lowers the whole leading acronym (apiVersion, uid).
     */
    private static String lowerAcronym(String name) {
        int end = 1;
        while (end < name.length() && Character.isUpperCase(name.charAt(end))) {
            end++;
        }
        if (end < name.length()) {
            end--; // the last capital starts the next word
        }
        return name.substring(0, end).toLowerCase(java.util.Locale.ROOT) + name.substring(end);
    }

    static boolean keepZero(FieldDescriptor field) {
        return KEEP_ZERO.contains(field.getName())
                || KEEP_ZERO.contains(field.getContainingType().getName() + "." + field.getName())
                || field.getType() == FieldDescriptor.Type.DOUBLE;
    }

    /** xKubernetesPreserveUnknownFields -> x-kubernetes-preserve-unknown-fields. */
    private static String kebabExtension(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
