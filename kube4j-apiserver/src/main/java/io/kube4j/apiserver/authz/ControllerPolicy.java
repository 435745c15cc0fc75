package io.kube4j.apiserver.authz;

import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kube4j.apiserver.authz.DefaultPolicy.eventsRule;
import static io.kube4j.apiserver.authz.DefaultPolicy.rule;

/**
 * The {@code system:controller:<name>} ClusterRoles of upstream's bootstrap policy (1.32, default feature gates),
 * each bound to the service account {@code kube-system/<name>}. The controller manager runs every controller on
 * the token of its own service account, so a controller can do exactly what its role lists and no more.
 */
public final class ControllerPolicy {

    /** Upstream's prefix: the service account's name is the rest of the role's name. */
    public static final String PREFIX = "system:controller:";
    public static final String NAMESPACE = "kube-system";

    private static final String CORE = "";
    private static final String APPS = "apps";
    private static final String EXTENSIONS = "extensions";
    private static final String BATCH = "batch";
    private static final String POLICY = "policy";
    private static final String DISCOVERY = "discovery.k8s.io";
    private static final String STORAGE = "storage.k8s.io";
    private static final String CERTIFICATES = "certificates.k8s.io";

    private ControllerPolicy() {
    }

    /** Service account name to its rules, in upstream's order. */
    static Map<String, List<DefaultPolicy.Rule>> rules() {
        Map<String, List<DefaultPolicy.Rule>> roles = new LinkedHashMap<>();
        roles.put("attachdetach-controller", List.of(
                rule("list", "watch").groups(CORE).resources("persistentvolumes", "persistentvolumeclaims"),
                rule("get", "list", "watch").groups(CORE).resources("nodes"),
                rule("patch", "update").groups(CORE).resources("nodes/status"),
                rule("list", "watch").groups(CORE).resources("pods"),
                eventsRule(),
                rule("get", "create", "delete", "list", "watch").groups(STORAGE).resources("volumeattachments"),
                rule("get", "watch", "list").groups(STORAGE).resources("csidrivers"),
                rule("get", "watch", "list").groups(STORAGE).resources("csinodes")));
        roles.put("clusterrole-aggregation-controller", List.of(
                rule("escalate", "get", "list", "watch", "update", "patch").groups(DefaultPolicy.RBAC)
                        .resources("clusterroles")));
        roles.put("cronjob-controller", List.of(
                rule("get", "list", "watch", "update").groups(BATCH).resources("cronjobs"),
                rule("get", "list", "watch", "create", "update", "delete", "patch").groups(BATCH).resources("jobs"),
                rule("update").groups(BATCH).resources("cronjobs/status"),
                rule("update").groups(BATCH).resources("cronjobs/finalizers"),
                rule("list", "watch", "delete").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("daemon-set-controller", List.of(
                rule("get", "list", "watch").groups(EXTENSIONS, APPS).resources("daemonsets"),
                rule("update").groups(EXTENSIONS, APPS).resources("daemonsets/status"),
                rule("update").groups(EXTENSIONS, APPS).resources("daemonsets/finalizers"),
                rule("list", "watch").groups(CORE).resources("nodes"),
                rule("list", "watch", "create", "delete", "patch").groups(CORE).resources("pods"),
                rule("create").groups(CORE).resources("pods/binding"),
                rule("get", "list", "watch", "create", "delete", "update", "patch").groups(APPS)
                        .resources("controllerrevisions"),
                eventsRule()));
        roles.put("deployment-controller", List.of(
                rule("get", "list", "watch", "update").groups(EXTENSIONS, APPS).resources("deployments"),
                rule("update").groups(EXTENSIONS, APPS).resources("deployments/status"),
                rule("update").groups(EXTENSIONS, APPS).resources("deployments/finalizers"),
                rule("get", "list", "watch", "create", "update", "patch", "delete").groups(APPS, EXTENSIONS)
                        .resources("replicasets"),
                rule("get", "list", "watch", "update").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("disruption-controller", List.of(
                rule("get", "list", "watch").groups(EXTENSIONS, APPS).resources("deployments"),
                rule("get", "list", "watch").groups(APPS, EXTENSIONS).resources("replicasets"),
                rule("get", "list", "watch").groups(CORE).resources("replicationcontrollers"),
                rule("get", "list", "watch").groups(POLICY).resources("poddisruptionbudgets"),
                rule("get", "list", "watch").groups(APPS).resources("statefulsets"),
                rule("update").groups(POLICY).resources("poddisruptionbudgets/status"),
                rule("patch", "update").groups(CORE).resources("pods/status"),
                rule("get").groups("*").resources("*/scale"),
                eventsRule()));
        roles.put("endpoint-controller", List.of(
                rule("get", "list", "watch").groups(CORE).resources("services", "pods"),
                rule("get", "list", "watch", "create", "update", "delete").groups(CORE).resources("endpoints"),
                rule("create").groups(CORE).resources("endpoints/restricted"),
                eventsRule()));
        roles.put("endpointslice-controller", List.of(
                rule("get", "list", "watch").groups(CORE).resources("services", "pods", "nodes"),
                // an EndpointSlice owned by its Service with blockOwnerDeletion needs the Service's finalizers
                rule("update").groups(CORE).resources("services/finalizers"),
                rule("get", "list", "watch", "create", "update", "delete").groups(DISCOVERY)
                        .resources("endpointslices"),
                eventsRule()));
        roles.put("endpointslicemirroring-controller", List.of(
                rule("get", "list", "watch").groups(CORE).resources("services", "endpoints"),
                rule("update").groups(CORE).resources("services/finalizers"),
                rule("update").groups(CORE).resources("endpoints/finalizers"),
                rule("get", "list", "watch", "create", "update", "delete").groups(DISCOVERY)
                        .resources("endpointslices"),
                eventsRule()));
        roles.put("expand-controller", List.of(
                rule("get", "list", "watch", "update", "patch").groups(CORE).resources("persistentvolumes"),
                rule("update", "patch").groups(CORE).resources("persistentvolumeclaims/status"),
                rule("get", "list", "watch").groups(CORE).resources("persistentvolumeclaims"),
                eventsRule(),
                rule("get").groups(CORE).resources("services")));
        roles.put("ephemeral-volume-controller", List.of(
                rule("get", "list", "watch").groups(CORE).resources("pods"),
                rule("update").groups(CORE).resources("pods/finalizers"),
                rule("get", "list", "watch", "create").groups(CORE).resources("persistentvolumeclaims"),
                eventsRule()));
        roles.put("generic-garbage-collector", List.of(
                // the collector follows and deletes dependents of every kind
                rule("get", "list", "watch", "patch", "update", "delete").groups("*").resources("*"),
                eventsRule()));
        roles.put("horizontal-pod-autoscaler", List.of(
                rule("get", "list", "watch").groups("autoscaling").resources("horizontalpodautoscalers"),
                rule("update").groups("autoscaling").resources("horizontalpodautoscalers/status"),
                rule("get", "update").groups("*").resources("*/scale"),
                rule("list", "watch").groups(CORE).resources("pods"),
                rule("list", "watch").groups("metrics.k8s.io").resources("pods"),
                rule("get", "list", "watch").groups("custom.metrics.k8s.io").resources("*"),
                rule("get", "list", "watch").groups("external.metrics.k8s.io").resources("*"),
                eventsRule()));
        roles.put("job-controller", List.of(
                rule("get", "list", "watch", "update", "patch").groups(BATCH).resources("jobs"),
                rule("update").groups(BATCH).resources("jobs/status"),
                rule("update").groups(BATCH).resources("jobs/finalizers"),
                rule("list", "watch", "create", "delete", "patch").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("namespace-controller", List.of(
                rule("get", "list", "watch", "delete").groups(CORE).resources("namespaces"),
                rule("update").groups(CORE).resources("namespaces/finalize", "namespaces/status"),
                // emptying a namespace means deleting whatever it holds
                rule("get", "list", "watch", "delete", "deletecollection").groups("*").resources("*")));
        roles.put("node-controller", List.of(
                rule("get", "list", "watch", "update", "delete", "patch").groups(CORE).resources("nodes"),
                rule("patch", "update").groups(CORE).resources("nodes/status"),
                rule("patch", "update").groups(CORE).resources("pods/status"),
                rule("list", "watch", "get", "delete").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("persistent-volume-binder", List.of(
                rule("get", "list", "watch", "update", "create", "delete").groups(CORE)
                        .resources("persistentvolumes"),
                rule("update").groups(CORE).resources("persistentvolumes/status"),
                rule("get", "list", "watch", "update").groups(CORE).resources("persistentvolumeclaims"),
                rule("update").groups(CORE).resources("persistentvolumeclaims/status"),
                rule("list", "watch", "get", "create", "delete").groups(CORE).resources("pods"),
                rule("get", "list", "watch").groups(STORAGE).resources("storageclasses"),
                rule("list", "watch").groups(CORE).resources("nodes"),
                eventsRule(),
                rule("watch").groups(CORE).resources("events"),
                rule("get").groups(CORE).resources("services")));
        roles.put("pod-garbage-collector", List.of(
                rule("list", "watch", "delete").groups(CORE).resources("pods"),
                rule("get", "list", "watch").groups(CORE).resources("nodes"),
                rule("patch").groups(CORE).resources("pods/status")));
        roles.put("replicaset-controller", List.of(
                rule("get", "list", "watch", "update").groups(APPS, EXTENSIONS).resources("replicasets"),
                rule("update").groups(APPS, EXTENSIONS).resources("replicasets/status"),
                rule("update").groups(APPS, EXTENSIONS).resources("replicasets/finalizers"),
                rule("list", "watch", "patch", "create", "delete").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("replication-controller", List.of(
                rule("get", "list", "watch", "update").groups(CORE).resources("replicationcontrollers"),
                rule("update").groups(CORE).resources("replicationcontrollers/status"),
                rule("update").groups(CORE).resources("replicationcontrollers/finalizers"),
                rule("list", "watch", "patch", "create", "delete").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("resourcequota-controller", List.of(
                // usage is counted over every kind
                rule("list", "watch").groups("*").resources("*"),
                rule("update").groups(CORE).resources("resourcequotas/status"),
                eventsRule()));
        roles.put("route-controller", List.of(
                rule("list", "watch").groups(CORE).resources("nodes"),
                rule("patch").groups(CORE).resources("nodes/status"),
                eventsRule()));
        roles.put("service-account-controller", List.of(
                rule("create").groups(CORE).resources("serviceaccounts"),
                eventsRule()));
        roles.put("service-controller", List.of(
                rule("get", "list", "watch").groups(CORE).resources("services"),
                rule("patch", "update").groups(CORE).resources("services/status"),
                rule("list", "watch").groups(CORE).resources("nodes"),
                eventsRule()));
        roles.put("statefulset-controller", List.of(
                rule("list", "watch").groups(CORE).resources("pods"),
                rule("get", "list", "watch").groups(APPS).resources("statefulsets"),
                rule("update").groups(APPS).resources("statefulsets/status"),
                rule("update").groups(APPS).resources("statefulsets/finalizers"),
                rule("get", "create", "delete", "update", "patch").groups(CORE).resources("pods"),
                rule("get", "create", "delete", "update", "patch", "list", "watch").groups(APPS)
                        .resources("controllerrevisions"),
                rule("get", "create", "list", "watch").groups(CORE).resources("persistentvolumeclaims"),
                rule("update", "delete").groups(CORE).resources("persistentvolumeclaims"),
                rule("update").groups(CORE).resources("pods/finalizers"),
                eventsRule()));
        roles.put("ttl-controller", List.of(
                rule("update", "patch", "list", "watch").groups(CORE).resources("nodes"),
                eventsRule()));
        roles.put("certificate-controller", List.of(
                rule("get", "list", "watch", "delete").groups(CERTIFICATES).resources("certificatesigningrequests"),
                rule("update").groups(CERTIFICATES).resources("certificatesigningrequests/status",
                        "certificatesigningrequests/approval"),
                // the approver only ever approves kubelet client certificates; the signer signs the built-in signers
                rule("approve").groups(CERTIFICATES).resources("signers")
                        .names("kubernetes.io/kube-apiserver-client-kubelet"),
                rule("sign").groups(CERTIFICATES).resources("signers").names("kubernetes.io/legacy-unknown",
                        "kubernetes.io/kube-apiserver-client", "kubernetes.io/kube-apiserver-client-kubelet",
                        "kubernetes.io/kubelet-serving"),
                rule("create").groups("authorization.k8s.io").resources("subjectaccessreviews"),
                eventsRule()));
        roles.put("pvc-protection-controller", List.of(
                rule("get", "list", "watch", "update").groups(CORE).resources("persistentvolumeclaims"),
                rule("list", "watch", "get").groups(CORE).resources("pods"),
                eventsRule()));
        roles.put("pv-protection-controller", List.of(
                rule("get", "list", "watch", "update").groups(CORE).resources("persistentvolumes"),
                eventsRule()));
        roles.put("ttl-after-finished-controller", List.of(
                rule("get", "list", "watch", "delete").groups(BATCH).resources("jobs"),
                eventsRule()));
        roles.put("root-ca-cert-publisher", List.of(
                rule("create", "update").groups(CORE).resources("configmaps"),
                eventsRule()));
        roles.put("validatingadmissionpolicy-status-controller", List.of(
                rule("get", "list", "watch").groups("admissionregistration.k8s.io")
                        .resources("validatingadmissionpolicies"),
                rule("get", "patch", "update").groups("admissionregistration.k8s.io")
                        .resources("validatingadmissionpolicies/status"),
                eventsRule()));
        roles.put("legacy-service-account-token-cleaner", List.of(
                rule("get").groups(CORE).resources("configmaps")
                        .names("kube-apiserver-legacy-service-account-token-tracking"),
                rule("patch", "delete").groups(CORE).resources("secrets")));
        return roles;
    }

    /**
     * kube4j approves a node's own kubelet serving certificate on the server, as k3s does (upstream leaves it to an
     * external approver), so the CSR approver's account may also approve for kubelet-serving. A role of its own
     * keeps upstream's certificate-controller role as upstream ships it.
     */
    static final String KUBELET_SERVING_APPROVER = "kube4j:controller:kubelet-serving-approver";

    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        rules().forEach((account, rules) ->
                roles.add(DefaultPolicy.clusterRole(PREFIX + account, rules.toArray(DefaultPolicy.Rule[]::new))));
        roles.add(DefaultPolicy.clusterRole(KUBELET_SERVING_APPROVER,
                rule("approve").groups(CERTIFICATES).resources("signers").names("kubernetes.io/kubelet-serving")));
        return roles;
    }

    /** One binding per role, named as the role, to the service account of the same name in kube-system. */
    public static List<ObjectNode> clusterRoleBindings() {
        List<ObjectNode> bindings = new ArrayList<>();
        for (String account : rules().keySet()) {
            bindings.add(DefaultPolicy.clusterRoleBinding(PREFIX + account, PREFIX + account,
                    DefaultPolicy.serviceAccount(NAMESPACE, account)));
        }
        bindings.add(DefaultPolicy.clusterRoleBinding(KUBELET_SERVING_APPROVER, KUBELET_SERVING_APPROVER,
                DefaultPolicy.serviceAccount(NAMESPACE, "certificate-controller")));
        return bindings;
    }
}
