package io.kube4j.api.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in resources of Kubernetes 1.32 that kube4j serves, with upstream's scope, names and verbs: every one, the
 * stored ones and those the API server answers without storing, so discovery and the OpenAPI documents both read
 * this one list.
 */
final class BuiltinResources {

    private static final List<String> NAMESPACE_VERBS =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private static final List<String> ALL_CATEGORY = List.of("all");
    private static final List<String> CREATE = List.of("create");
    private static final String AUTHORIZATION = "authorization.k8s.io";
    private static final String AUTHENTICATION = "authentication.k8s.io";

    private BuiltinResources() {
    }

    static Map<String, String> preferredVersions() {
        return Map.of("autoscaling", "v2");
    }

    static List<ResourceType> all() {
        List<ResourceType> r = new ArrayList<>();
        // core/v1
        // create-only, binds the pod it names (upstream's BindingREST): never stored
        r.add(ns("", "v1", "Binding", "bindings").verbs("create").notStored().build());
        // computed at request time from health checks, never stored: only read (upstream's componentstatus REST)
        r.add(cluster("", "v1", "ComponentStatus", "componentstatuses").shortNames("cs").verbs("get", "list")
                .notStored().build());
        r.add(ns("", "v1", "ConfigMap", "configmaps").shortNames("cm").build());
        r.add(ns("", "v1", "Endpoints", "endpoints").singular("endpoints").shortNames("ep").build());
        r.add(ns("", "v1", "Event", "events").shortNames("ev").build());
        r.add(ns("", "v1", "LimitRange", "limitranges").shortNames("limits").build());
        r.add(cluster("", "v1", "Namespace", "namespaces").shortNames("ns").verbs(NAMESPACE_VERBS)
                .sub(new Subresource("finalize", null, null, null, List.of("update")))
                .sub(Subresource.status()).build());
        r.add(cluster("", "v1", "Node", "nodes").shortNames("no").sub(Subresource.status()).build());
        r.add(ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims").shortNames("pvc")
                .sub(Subresource.status()).build());
        r.add(cluster("", "v1", "PersistentVolume", "persistentvolumes").shortNames("pv")
                .sub(Subresource.status()).build());
        r.add(ns("", "v1", "Pod", "pods").shortNames("po").categories(ALL_CATEGORY)
                .sub(new Subresource("binding", "", "v1", "Binding", List.of("create")))
                .sub(new Subresource("ephemeralcontainers", null, null, null, List.of("get", "patch", "update")))
                .sub(new Subresource("log", "", "v1", "Pod", List.of("get")))
                .sub(new Subresource("eviction", "policy", "v1", "Eviction", List.of("create")))
                .sub(Subresource.status()).build());
        r.add(ns("", "v1", "PodTemplate", "podtemplates").build());
        r.add(ns("", "v1", "ReplicationController", "replicationcontrollers").shortNames("rc")
                .categories(ALL_CATEGORY).sub(Subresource.scale()).sub(Subresource.status()).build());
        r.add(ns("", "v1", "ResourceQuota", "resourcequotas").shortNames("quota").sub(Subresource.status()).build());
        r.add(ns("", "v1", "Secret", "secrets").build());
        r.add(ns("", "v1", "ServiceAccount", "serviceaccounts").shortNames("sa")
                .sub(new Subresource("token", "authentication.k8s.io", "v1", "TokenRequest", List.of("create")))
                .build());
        r.add(ns("", "v1", "Service", "services").shortNames("svc").categories(ALL_CATEGORY)
                .sub(Subresource.status()).build());
        // the aggregator's own group, which upstream lists first of the named groups
        r.add(cluster("apiregistration.k8s.io", "v1", "APIService", "apiservices")
                .categories(List.of("api-extensions")).sub(Subresource.status()).build());
        // apps/v1
        r.add(ns("apps", "v1", "ControllerRevision", "controllerrevisions").build());
        r.add(ns("apps", "v1", "DaemonSet", "daemonsets").shortNames("ds").categories(ALL_CATEGORY)
                .sub(Subresource.status()).build());
        for (String[] workload : new String[][] {{"Deployment", "deployments", "deploy"},
                {"ReplicaSet", "replicasets", "rs"}, {"StatefulSet", "statefulsets", "sts"}}) {
            r.add(ns("apps", "v1", workload[0], workload[1]).shortNames(workload[2]).categories(ALL_CATEGORY)
                    .sub(Subresource.scale()).sub(Subresource.status()).build());
        }
        // autoscaling
        for (String version : List.of("v1", "v2")) {
            r.add(ns("autoscaling", version, "HorizontalPodAutoscaler", "horizontalpodautoscalers")
                    .shortNames("hpa").categories(ALL_CATEGORY).sub(Subresource.status()).build());
        }
        // batch/v1
        r.add(ns("batch", "v1", "CronJob", "cronjobs").shortNames("cj").categories(ALL_CATEGORY)
                .sub(Subresource.status()).build());
        r.add(ns("batch", "v1", "Job", "jobs").categories(ALL_CATEGORY).sub(Subresource.status()).build());
        r.add(cluster("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests")
                .shortNames("csr").sub(new Subresource("approval", null, null, null, List.of("get", "patch", "update")))
                .sub(Subresource.status()).build());
        r.add(ns("coordination.k8s.io", "v1", "Lease", "leases").build());
        r.add(ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices").build());
        r.add(ns("events.k8s.io", "v1", "Event", "events").shortNames("ev").build());
        r.add(ns("networking.k8s.io", "v1", "Ingress", "ingresses").shortNames("ing")
                .sub(Subresource.status()).build());
        r.add(cluster("networking.k8s.io", "v1", "IngressClass", "ingressclasses").build());
        r.add(ns("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies").shortNames("netpol").build());
        r.add(ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets").shortNames("pdb")
                .sub(Subresource.status()).build());
        r.add(cluster("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings").build());
        r.add(cluster("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles").build());
        r.add(ns("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings").build());
        r.add(ns("rbac.authorization.k8s.io", "v1", "Role", "roles").build());
        r.add(cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses").shortNames("sc").build());
        r.add(cluster("storage.k8s.io", "v1", "CSIDriver", "csidrivers").build());
        r.add(cluster("storage.k8s.io", "v1", "CSINode", "csinodes").build());
        r.add(ns("storage.k8s.io", "v1", "CSIStorageCapacity", "csistoragecapacities").build());
        r.add(cluster("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments").sub(Subresource.status()).build());
        r.add(cluster("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses").build());
        r.add(cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses").shortNames("pc").build());
        // API Priority and Fairness: the API server's own configuration, acted on by kube4j-apiserver's flowcontrol
        r.add(cluster("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", "flowschemas").sub(Subresource.status())
                .build());
        r.add(cluster("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration",
                "prioritylevelconfigurations").sub(Subresource.status()).build());
        r.add(cluster("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions")
                .shortNames("crd", "crds").categories(List.of("api-extensions")).sub(Subresource.status()).build());
        // last, so that discovery lists their groups after the others, as it did when the API server added them
        for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            r.add(cluster("admissionregistration.k8s.io", "v1", kind, kind.toLowerCase(Locale.ROOT) + "s")
                    .categories(List.of("api-extensions")).build());
        }
        // ValidatingAdmissionPolicy (GA in 1.30): no short names, in the api-extensions category as upstream's
        r.add(cluster("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies")
                .categories(List.of("api-extensions")).sub(Subresource.status()).build());
        r.add(cluster("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding",
                "validatingadmissionpolicybindings").categories(List.of("api-extensions")).build());
        // the reviews: answered by the API server from the request alone, never stored (upstream's create-only REST)
        r.add(cluster(AUTHORIZATION, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews").verbs(CREATE)
                .notStored().build());
        r.add(cluster(AUTHORIZATION, "v1", "SubjectAccessReview", "subjectaccessreviews").verbs(CREATE).notStored()
                .build());
        r.add(ns(AUTHORIZATION, "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews").verbs(CREATE)
                .notStored().build());
        r.add(cluster(AUTHORIZATION, "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews").verbs(CREATE)
                .notStored().build());
        r.add(cluster(AUTHENTICATION, "v1", "TokenReview", "tokenreviews").verbs(CREATE).notStored().build());
        r.add(cluster(AUTHENTICATION, "v1", "SelfSubjectReview", "selfsubjectreviews").verbs(CREATE).notStored()
                .build());
        // metrics-server's API, which kube4j serves itself from scraped usage: read-only, never stored, and with
        // metrics-server's empty singular names
        r.add(cluster("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes").singular("").verbs("get", "list")
                .notStored().build());
        r.add(ns("metrics.k8s.io", "v1beta1", "PodMetrics", "pods").singular("").verbs("get", "list")
                .notStored().build());
        return r;
    }

    private static Builder ns(String group, String version, String kind, String plural) {
        return new Builder(group, version, kind, plural, true);
    }

    private static Builder cluster(String group, String version, String kind, String plural) {
        return new Builder(group, version, kind, plural, false);
    }

    private static final class Builder {
        private final String group;
        private final String version;
        private final String kind;
        private final String plural;
        private final boolean namespaced;
        private String singular;
        private List<String> shortNames = List.of();
        private List<String> categories = List.of();
        private List<String> verbs = ResourceType.ALL_VERBS;
        private final List<Subresource> subresources = new ArrayList<>();
        private boolean stored = true;

        Builder(String group, String version, String kind, String plural, boolean namespaced) {
            this.group = group;
            this.version = version;
            this.kind = kind;
            this.plural = plural;
            this.namespaced = namespaced;
            this.singular = kind.toLowerCase(java.util.Locale.ROOT);
        }

        Builder singular(String value) {
            singular = value;
            return this;
        }

        Builder shortNames(String... names) {
            shortNames = List.of(names);
            return this;
        }

        Builder categories(List<String> value) {
            categories = value;
            return this;
        }

        Builder verbs(String... value) {
            verbs = List.of(value);
            return this;
        }

        Builder verbs(List<String> value) {
            verbs = value;
            return this;
        }

        Builder sub(Subresource subresource) {
            subresources.add(subresource);
            return this;
        }

        /** Answered by the API server itself, never stored: see {@link ResourceType#stored()}. */
        Builder notStored() {
            stored = false;
            return this;
        }

        ResourceType build() {
            return new ResourceType(group, version, kind, plural, singular, namespaced, shortNames, categories,
                    verbs, subresources, stored);
        }
    }
}
