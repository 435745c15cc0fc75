package io.kube4j.api.patch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strategic merge patch metadata of the Kubernetes 1.32 built-in types kube4j serves: the
 * {@code patchStrategy}/{@code patchMergeKey} struct tags of k8s.io/api, as a graph of the types that lead to them.
 * Only fields on a path to a tagged field are listed; every other field has no metadata (maps merge, lists replace).
 */
public final class BuiltinPatchSchema implements PatchSchema {

    private static final BuiltinPatchSchema INSTANCE = new BuiltinPatchSchema();

    private record Field(PatchMeta meta, String type) {
    }

    private final Map<String, Map<String, Field>> types = new HashMap<>();
    private final Map<String, String> kinds = new HashMap<>();

    public static BuiltinPatchSchema instance() {
        return INSTANCE;
    }

    private BuiltinPatchSchema() {
        type("ObjectMeta")
                .put("finalizers", list(PatchMeta.merge(""), null))
                .put("ownerReferences", list(PatchMeta.merge("uid"), null));
        type("PodTemplateSpec")
                .put("metadata", object("ObjectMeta"))
                .put("spec", object("PodSpec"));
        type("PodSpec")
                .put("volumes", list(new PatchMeta("merge,retainKeys", "name"), null))
                .put("initContainers", list(PatchMeta.merge("name"), "Container"))
                .put("containers", list(PatchMeta.merge("name"), "Container"))
                .put("ephemeralContainers", list(PatchMeta.merge("name"), "Container"))
                .put("imagePullSecrets", list(PatchMeta.merge("name"), null))
                .put("hostAliases", list(PatchMeta.merge("ip"), null))
                .put("topologySpreadConstraints", list(PatchMeta.merge("topologyKey"), null))
                .put("schedulingGates", list(PatchMeta.merge("name"), null))
                .put("resourceClaims", list(new PatchMeta("merge,retainKeys", "name"), null));
        type("Container")
                .put("ports", list(PatchMeta.merge("containerPort"), null))
                .put("env", list(PatchMeta.merge("name"), null))
                .put("volumeMounts", list(PatchMeta.merge("mountPath"), null))
                .put("volumeDevices", list(PatchMeta.merge("devicePath"), null));
        type("PodStatus")
                .put("conditions", list(PatchMeta.merge("type"), null))
                .put("podIPs", list(PatchMeta.merge("ip"), null))
                .put("hostIPs", list(PatchMeta.merge("ip"), null))
                .put("resourceClaimStatuses", list(new PatchMeta("merge,retainKeys", "name"), null));
        // status types whose only tagged field is conditions (merge by type)
        type("ConditionsStatus")
                .put("conditions", list(PatchMeta.merge("type"), null));
        type("TemplateSpec")
                .put("template", object("PodTemplateSpec"));
        type("DeploymentSpec")
                .put("template", object("PodTemplateSpec"))
                .put("strategy", new Field(new PatchMeta("retainKeys", ""), null));
        type("JobTemplateSpec")
                .put("metadata", object("ObjectMeta"))
                .put("spec", object("TemplateSpec"));
        type("CronJobSpec")
                .put("jobTemplate", object("JobTemplateSpec"));
        type("NodeSpec")
                .put("podCIDRs", list(PatchMeta.merge(""), null));
        type("NodeStatus")
                .put("conditions", list(PatchMeta.merge("type"), null))
                .put("addresses", list(PatchMeta.merge("type"), null));
        type("ServiceSpec")
                .put("ports", list(PatchMeta.merge("port"), null));

        kind("", "Pod").put("spec", object("PodSpec")).put("status", object("PodStatus"));
        kind("", "PodTemplate").put("template", object("PodTemplateSpec"));
        kind("", "ReplicationController").put("spec", object("TemplateSpec")).put("status", object("ConditionsStatus"));
        kind("", "Node").put("spec", object("NodeSpec")).put("status", object("NodeStatus"));
        kind("", "Service").put("spec", object("ServiceSpec")).put("status", object("ConditionsStatus"));
        kind("", "Namespace").put("status", object("ConditionsStatus"));
        kind("", "PersistentVolumeClaim").put("status", object("ConditionsStatus"));
        kind("", "ServiceAccount").put("secrets", list(PatchMeta.merge("name"), null));
        for (String k : List.of("Endpoints", "ConfigMap", "Secret", "Event", "PersistentVolume", "LimitRange",
                "ResourceQuota", "Binding")) {
            kind("", k);
        }
        kind("apps", "Deployment").put("spec", object("DeploymentSpec")).put("status", object("ConditionsStatus"));
        for (String k : List.of("ReplicaSet", "StatefulSet", "DaemonSet")) {
            kind("apps", k).put("spec", object("TemplateSpec")).put("status", object("ConditionsStatus"));
        }
        kind("apps", "ControllerRevision");
        kind("batch", "Job").put("spec", object("TemplateSpec")).put("status", object("ConditionsStatus"));
        kind("batch", "CronJob").put("spec", object("CronJobSpec"));
        kind("policy", "PodDisruptionBudget").put("status", object("ConditionsStatus"));
        kind("policy", "Eviction");
        kind("autoscaling", "HorizontalPodAutoscaler").put("status", object("ConditionsStatus"));
        kind("autoscaling", "Scale");
        kind("coordination.k8s.io", "Lease");
        kind("discovery.k8s.io", "EndpointSlice");
        kind("events.k8s.io", "Event");
        for (String k : List.of("Ingress", "IngressClass", "NetworkPolicy")) {
            kind("networking.k8s.io", k);
        }
        for (String k : List.of("StorageClass", "CSIDriver", "CSIStorageCapacity", "VolumeAttachment")) {
            kind("storage.k8s.io", k);
        }
        // a node's drivers merge by name (upstream's patchMergeKey), as each driver registers itself
        type("CSINodeSpec").put("drivers", list(PatchMeta.merge("name"), null));
        kind("storage.k8s.io", "CSINode").put("spec", object("CSINodeSpec"));
        kind("node.k8s.io", "RuntimeClass");
        kind("scheduling.k8s.io", "PriorityClass");
        // API Priority and Fairness: status conditions merge by type, the rest is atomic (upstream's patch tags)
        for (String k : List.of("FlowSchema", "PriorityLevelConfiguration")) {
            kind("flowcontrol.apiserver.k8s.io", k).put("status", object("ConditionsStatus"));
        }
        for (String k : List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")) {
            kind("rbac.authorization.k8s.io", k);
        }
        // served by the API server's admission package rather than the resource table; their webhooks merge by name
        for (String k : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            kind("admissionregistration.k8s.io", k).put("webhooks", list(PatchMeta.merge("name"), null));
        }
        // admission policies: match conditions merge by name, status conditions by type, the other lists are atomic
        type("ValidatingAdmissionPolicySpec").put("matchConditions", list(PatchMeta.merge("name"), null));
        kind("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")
                .put("spec", object("ValidatingAdmissionPolicySpec")).put("status", object("ConditionsStatus"));
        kind("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding");
        kind("apiextensions.k8s.io", "CustomResourceDefinition");
        kind("apiregistration.k8s.io", "APIService").put("status", object("ConditionsStatus"));
        kind("certificates.k8s.io", "CertificateSigningRequest");
    }

    /** Collects the fields of one type. */
    private static final class TypeBuilder {
        private final Map<String, Field> fields;

        TypeBuilder(Map<String, Field> fields) {
            this.fields = fields;
        }

        TypeBuilder put(String name, Field field) {
            fields.put(name, field);
            return this;
        }
    }

    private TypeBuilder type(String name) {
        return new TypeBuilder(types.computeIfAbsent(name, n -> new HashMap<>()));
    }

    private TypeBuilder kind(String group, String kind) {
        String root = "kind:" + group + "/" + kind;
        kinds.put(group + "/" + kind, root);
        return type(root).put("metadata", object("ObjectMeta"));
    }

    private static Field object(String type) {
        return new Field(PatchMeta.NONE, type);
    }

    private static Field list(PatchMeta meta, String elementType) {
        return new Field(meta, elementType);
    }

    @Override
    public boolean supports(String group, String kind) {
        return kinds.containsKey(group + "/" + kind);
    }

    @Override
    public PatchMeta lookup(String group, String kind, List<String> fieldPath) {
        String type = kinds.get(group + "/" + kind);
        for (int i = 0; type != null && i < fieldPath.size(); i++) {
            Field f = types.get(type).get(fieldPath.get(i));
            if (f == null) {
                return PatchMeta.NONE;
            }
            if (i == fieldPath.size() - 1) {
                return f.meta();
            }
            type = f.type();
        }
        return PatchMeta.NONE;
    }
}
