package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The roles and bindings upstream's bootstrap policy creates at start (labelled
 * {@code kubernetes.io/bootstrapping=rbac-defaults}, annotated {@code rbac.authorization.kubernetes.io/autoupdate}),
 * as rbac.authorization.k8s.io/v1 JSON. Aggregated roles ({@code admin}, {@code edit}, {@code view}) carry
 * empty rules: {@link ClusterRoleAggregator} fills them.
 */
public final class DefaultPolicy {

    static final String RBAC = "rbac.authorization.k8s.io";
    private static final String V1 = RBAC + "/v1";
    static final String AGGREGATE_TO_ADMIN = RBAC + "/aggregate-to-admin";
    static final String AGGREGATE_TO_EDIT = RBAC + "/aggregate-to-edit";
    static final String AGGREGATE_TO_VIEW = RBAC + "/aggregate-to-view";

    private static final String[] READ = {"get", "list", "watch"};
    private static final String[] WRITE = {"create", "update", "patch", "delete", "deletecollection"};
    private static final String[] READ_WRITE = {"get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection"};

    private static final String CONTROLLER_MANAGER_LEASES = "kube4j:kube-controller-manager-leases";

    private DefaultPolicy() {
    }

    /**
     * Defaults earlier kube4j versions created that are no longer defaults and must not outlive an upgrade:
     * {@code kube4j:kube-controller-manager} let the controller manager's own identity read and write everything,
     * before each controller ran as its own service account. Kind and name of each.
     */
    public static List<String[]> obsolete() {
        return List.of(new String[] {"ClusterRoleBinding", "kube4j:kube-controller-manager"},
                new String[] {"ClusterRole", "kube4j:kube-controller-manager"});
    }

    /** Every default ClusterRole, ClusterRoleBinding, Role and RoleBinding. */
    public static List<ObjectNode> objects() {
        List<ObjectNode> all = new ArrayList<>();
        all.addAll(clusterRoles());
        all.addAll(clusterRoleBindings());
        all.addAll(namespacedRoles());
        all.addAll(namespacedRoleBindings());
        return all;
    }

    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        roles.add(clusterRole("cluster-admin",
                rule("*").groups("*").resources("*"),
                rule("*").urls("*")));
        roles.add(aggregated("admin", AGGREGATE_TO_ADMIN));
        roles.add(labelled(aggregated("edit", AGGREGATE_TO_EDIT), AGGREGATE_TO_ADMIN));
        roles.add(labelled(aggregated("view", AGGREGATE_TO_VIEW), AGGREGATE_TO_EDIT));
        roles.add(labelled(clusterRole("system:aggregate-to-admin",
                rule("create").groups("authorization.k8s.io").resources("localsubjectaccessreviews"),
                rule(READ_WRITE).groups(RBAC).resources("rolebindings", "roles")), AGGREGATE_TO_ADMIN));
        roles.add(labelled(clusterRole("system:aggregate-to-edit",
                rule(READ).groups("").resources("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "secrets", "services/proxy"),
                rule("impersonate").groups("").resources("serviceaccounts"),
                rule(WRITE).groups("").resources("pods", "pods/attach", "pods/exec", "pods/portforward",
                        "pods/proxy"),
                rule("create").groups("").resources("pods/eviction"),
                rule(WRITE).groups("").resources("configmaps", "events", "persistentvolumeclaims",
                        "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts",
                        "services", "services/proxy"),
                rule("create").groups("").resources("serviceaccounts/token"),
                rule(WRITE).groups("apps").resources("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "replicasets", "replicasets/scale", "statefulsets",
                        "statefulsets/scale"),
                rule(WRITE).groups("autoscaling").resources("horizontalpodautoscalers"),
                rule(WRITE).groups("batch").resources("cronjobs", "jobs"),
                rule(WRITE).groups("extensions").resources("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                        "replicationcontrollers/scale"),
                rule(WRITE).groups("policy").resources("poddisruptionbudgets"),
                rule(WRITE).groups("networking.k8s.io").resources("ingresses", "networkpolicies"),
                rule(READ_WRITE).groups("coordination.k8s.io").resources("leases")), AGGREGATE_TO_EDIT));
        roles.add(labelled(clusterRole("system:aggregate-to-view",
                rule(READ).groups("").resources("configmaps", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "pods", "replicationcontrollers",
                        "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
                rule(READ).groups("").resources("bindings", "events", "limitranges", "namespaces/status", "pods/log",
                        "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
                rule(READ).groups("").resources("namespaces"),
                rule(READ).groups("discovery.k8s.io").resources("endpointslices"),
                rule(READ).groups("apps").resources("controllerrevisions", "daemonsets", "daemonsets/status",
                        "deployments", "deployments/scale", "deployments/status", "replicasets",
                        "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                        "statefulsets/status"),
                rule(READ).groups("autoscaling").resources("horizontalpodautoscalers",
                        "horizontalpodautoscalers/status"),
                rule(READ).groups("batch").resources("cronjobs", "cronjobs/status", "jobs", "jobs/status"),
                rule(READ).groups("extensions").resources("daemonsets", "daemonsets/status", "deployments",
                        "deployments/scale", "deployments/status", "ingresses", "ingresses/status",
                        "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
                        "replicationcontrollers/scale"),
                rule(READ).groups("policy").resources("poddisruptionbudgets", "poddisruptionbudgets/status"),
                rule(READ).groups("networking.k8s.io").resources("ingresses", "ingresses/status",
                        "networkpolicies")), AGGREGATE_TO_VIEW));
        // metrics-server's role: whoever may view pods may see their usage (kubectl top)
        roles.add(labelled(labelled(labelled(clusterRole("system:aggregated-metrics-reader",
                rule("get", "list", "watch").groups("metrics.k8s.io").resources("pods", "nodes")),
                AGGREGATE_TO_VIEW), AGGREGATE_TO_EDIT), AGGREGATE_TO_ADMIN));
        roles.add(clusterRole("system:auth-delegator",
                rule("create").groups("authentication.k8s.io").resources("tokenreviews"),
                rule("create").groups("authorization.k8s.io").resources("subjectaccessreviews")));
        roles.add(clusterRole("system:basic-user",
                rule("create").groups("authorization.k8s.io").resources("selfsubjectaccessreviews",
                        "selfsubjectrulesreviews"),
                rule("create").groups("authentication.k8s.io").resources("selfsubjectreviews")));
        roles.add(clusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                rule("create").groups("certificates.k8s.io").resources("certificatesigningrequests/nodeclient")));
        roles.add(clusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
                rule("create").groups("certificates.k8s.io").resources("certificatesigningrequests/selfnodeclient")));
        for (String signer : List.of("kube-apiserver-client", "kube-apiserver-client-kubelet", "kubelet-serving",
                "legacy-unknown")) {
            roles.add(clusterRole("system:certificates.k8s.io:" + signer + "-approver",
                    rule("approve").groups("certificates.k8s.io").resources("signers")
                            .names("kubernetes.io/" + signer)));
        }
        roles.add(clusterRole("system:discovery",
                rule("get").urls("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                        "/openapi/*", "/readyz", "/version", "/version/")));
        roles.add(clusterRole("system:heapster",
                rule(READ).groups("").resources("events", "namespaces", "nodes", "pods"),
                rule(READ).groups("extensions").resources("deployments")));
        roles.add(clusterRole("system:kube-aggregator",
                rule(READ).groups("").resources("endpoints", "services")));
        roles.add(clusterRole("system:kube-controller-manager",
                eventsRule(),
                rule("create").groups("coordination.k8s.io").resources("leases"),
                rule("get", "update").groups("coordination.k8s.io").resources("leases")
                        .names("kube-controller-manager"),
                rule("create").groups("").resources("secrets", "serviceaccounts"),
                rule("delete").groups("").resources("secrets"),
                rule("get").groups("").resources("configmaps", "namespaces", "secrets", "serviceaccounts"),
                rule("update").groups("").resources("secrets", "serviceaccounts"),
                rule("create").groups("authentication.k8s.io").resources("tokenreviews"),
                rule("create").groups("authorization.k8s.io").resources("subjectaccessreviews"),
                rule("list", "watch").groups("*").resources("*"),
                rule("create").groups("").resources("serviceaccounts/token")));
        roles.add(clusterRole("system:kube-dns",
                rule("list", "watch").groups("").resources("endpoints", "services")));
        roles.add(clusterRole("system:kube-scheduler",
                eventsRule(),
                rule("create").groups("coordination.k8s.io").resources("leases"),
                rule("get", "update").groups("coordination.k8s.io").resources("leases").names("kube-scheduler"),
                rule(READ).groups("").resources("nodes"),
                rule("delete", "get", "list", "watch").groups("").resources("pods"),
                rule("create").groups("").resources("bindings", "pods/binding"),
                rule("patch", "update").groups("").resources("pods/status"),
                rule(READ).groups("").resources("replicationcontrollers", "services"),
                rule(READ).groups("apps", "extensions").resources("replicasets"),
                rule(READ).groups("apps").resources("statefulsets"),
                rule(READ).groups("policy").resources("poddisruptionbudgets"),
                rule(READ).groups("").resources("persistentvolumeclaims", "persistentvolumes"),
                rule("create").groups("authentication.k8s.io").resources("tokenreviews"),
                rule("create").groups("authorization.k8s.io").resources("subjectaccessreviews"),
                rule(READ).groups("storage.k8s.io").resources("csinodes"),
                rule(READ).groups("").resources("namespaces"),
                rule(READ).groups("storage.k8s.io").resources("csidrivers"),
                rule(READ).groups("storage.k8s.io").resources("csistoragecapacities")));
        roles.add(clusterRole("system:kubelet-api-admin",
                rule(READ).groups("").resources("nodes"),
                rule("proxy").groups("").resources("nodes"),
                rule("*").groups("").resources("nodes/log", "nodes/metrics", "nodes/proxy", "nodes/stats")));
        roles.add(clusterRole("system:monitoring",
                rule("get").urls("/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis",
                        "/readyz", "/readyz/*")));
        roles.add(clusterRole("system:node", nodeRules().toArray(Rule[]::new)));
        roles.add(clusterRole("system:node-bootstrapper",
                rule("create", "get", "list", "watch").groups("certificates.k8s.io")
                        .resources("certificatesigningrequests")));
        roles.add(clusterRole("system:node-problem-detector",
                rule("get").groups("").resources("nodes"),
                rule("patch").groups("").resources("nodes/status"),
                eventsRule()));
        roles.add(clusterRole("system:node-proxier",
                rule("list", "watch").groups("").resources("endpoints", "services"),
                rule(READ).groups("").resources("nodes"),
                eventsRule(),
                rule("list", "watch").groups("discovery.k8s.io").resources("endpointslices")));
        roles.add(clusterRole("system:persistent-volume-provisioner",
                rule("create", "delete", "get", "list", "watch").groups("").resources("persistentvolumes"),
                rule("get", "list", "update", "watch").groups("").resources("persistentvolumeclaims"),
                rule(READ).groups("storage.k8s.io").resources("storageclasses"),
                rule("watch").groups("").resources("events"),
                eventsRule()));
        // kube4j lets anonymous users reach the health checks' subpaths (/readyz/etcd, ...) too
        roles.add(clusterRole("system:public-info-viewer",
                rule("get").urls("/healthz", "/healthz/*", "/livez", "/livez/*", "/readyz", "/readyz/*", "/version",
                        "/version/")));
        // each controller runs on its own service account's token (--use-service-account-credentials), so the
        // controller manager's own identity keeps upstream's system:kube-controller-manager rules above, plus
        // patch on its Lease: fabric8's leader elector renews with a PATCH where client-go sends an update
        roles.add(clusterRole(CONTROLLER_MANAGER_LEASES,
                rule("get", "update", "patch").groups("coordination.k8s.io").resources("leases")
                        .names("kube-controller-manager")));
        roles.addAll(ControllerPolicy.clusterRoles());
        // kube4j's proxy also follows pods, namespaces and NetworkPolicies, and publishes LoadBalancer status
        roles.add(clusterRole("kube4j:node-proxier",
                rule(READ).groups("").resources("services", "endpoints", "pods", "namespaces", "nodes"),
                rule(READ).groups("discovery.k8s.io").resources("endpointslices"),
                rule(READ).groups("networking.k8s.io").resources("networkpolicies"),
                rule("get", "update", "patch").groups("").resources("services/status")));
        // the scheduler's informers and plugins read a few kinds more than upstream's role lists (never secrets)
        roles.add(clusterRole("kube4j:kube-scheduler",
                rule(READ).groups("").resources("namespaces", "nodes", "pods", "persistentvolumeclaims",
                        "persistentvolumes", "replicationcontrollers", "services"),
                rule(READ).groups("apps").resources("replicasets", "statefulsets"),
                rule(READ).groups("policy").resources("poddisruptionbudgets"),
                rule(READ).groups("storage.k8s.io").resources("csidrivers", "csinodes", "csistoragecapacities",
                        "storageclasses", "volumeattachments"),
                rule("get", "update", "patch").groups("coordination.k8s.io").resources("leases")
                        .names("kube-scheduler")));
        roles.add(clusterRole("system:service-account-issuer-discovery",
                rule("get").urls("/.well-known/openid-configuration", "/openid/v1/jwks")));
        roles.add(clusterRole("system:volume-scheduler",
                rule("get", "list", "patch", "update", "watch").groups("").resources("persistentvolumes"),
                rule(READ).groups("storage.k8s.io").resources("storageclasses"),
                rule("get", "list", "patch", "update", "watch").groups("").resources("persistentvolumeclaims")));
        return roles;
    }

    /** What a kubelet may do at most; the Node authorizer narrows it to the objects of its own node. */
    static List<Rule> nodeRules() {
        return List.of(
                rule("create").groups("authentication.k8s.io").resources("tokenreviews"),
                rule("create").groups("authorization.k8s.io").resources("localsubjectaccessreviews",
                        "subjectaccessreviews"),
                rule(READ).groups("").resources("services"),
                rule("create", "get", "list", "watch").groups("").resources("nodes"),
                rule("patch", "update").groups("").resources("nodes/status"),
                rule("patch", "update").groups("").resources("nodes"),
                rule("create", "patch", "update").groups("").resources("events"),
                rule(READ).groups("").resources("pods"),
                rule("create", "delete").groups("").resources("pods"),
                rule("patch", "update").groups("").resources("pods/status"),
                rule("create").groups("").resources("pods/eviction"),
                rule(READ).groups("").resources("configmaps", "secrets"),
                rule("get").groups("").resources("persistentvolumeclaims", "persistentvolumes"),
                rule("get").groups("").resources("endpoints"),
                rule("create", "get", "list", "watch").groups("certificates.k8s.io")
                        .resources("certificatesigningrequests"),
                rule("create", "delete", "get", "patch", "update").groups("coordination.k8s.io")
                        .resources("leases"),
                rule("get").groups("storage.k8s.io").resources("volumeattachments"),
                rule("create").groups("").resources("serviceaccounts/token"),
                rule("get", "patch", "update").groups("").resources("persistentvolumeclaims/status"),
                rule(READ).groups("storage.k8s.io").resources("csidrivers"),
                rule("create", "delete", "get", "patch", "update").groups("storage.k8s.io").resources("csinodes"),
                rule(READ).groups("node.k8s.io").resources("runtimeclasses"));
    }

    public static List<ObjectNode> clusterRoleBindings() {
        List<ObjectNode> bindings = new ArrayList<>();
        bindings.add(clusterRoleBinding("cluster-admin", "cluster-admin", group("system:masters")));
        bindings.add(clusterRoleBinding("system:basic-user", "system:basic-user", group("system:authenticated")));
        bindings.add(clusterRoleBinding("system:discovery", "system:discovery", group("system:authenticated")));
        bindings.add(clusterRoleBinding("system:kube-controller-manager", "system:kube-controller-manager",
                user("system:kube-controller-manager")));
        bindings.add(clusterRoleBinding("system:kube-dns", "system:kube-dns",
                serviceAccount("kube-system", "kube-dns")));
        bindings.add(clusterRoleBinding("system:kube-scheduler", "system:kube-scheduler",
                user("system:kube-scheduler")));
        bindings.add(clusterRoleBinding("kube4j:node-proxier", "kube4j:node-proxier", user("system:kube-proxy")));
        bindings.add(clusterRoleBinding("kube4j:kube-scheduler", "kube4j:kube-scheduler",
                user("system:kube-scheduler")));
        bindings.add(clusterRoleBinding(CONTROLLER_MANAGER_LEASES, CONTROLLER_MANAGER_LEASES,
                user("system:kube-controller-manager")));
        bindings.addAll(ControllerPolicy.clusterRoleBindings());
        bindings.add(clusterRoleBinding("system:monitoring", "system:monitoring", group("system:monitoring")));
        // upstream keeps this binding without subjects: the Node authorizer, not RBAC, authorizes kubelets
        bindings.add(clusterRoleBinding("system:node", "system:node"));
        bindings.add(clusterRoleBinding("system:node-proxier", "system:node-proxier", user("system:kube-proxy")));
        bindings.add(clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer",
                group("system:authenticated"), group("system:unauthenticated")));
        bindings.add(clusterRoleBinding("system:service-account-issuer-discovery",
                "system:service-account-issuer-discovery", group("system:serviceaccounts")));
        bindings.add(clusterRoleBinding("system:volume-scheduler", "system:volume-scheduler",
                user("system:kube-scheduler")));
        // kube4j agents join with bootstrap tokens (kube4j token create), as kubeadm's kubelets do
        bindings.add(clusterRoleBinding("kube4j:node-bootstrapper", "system:node-bootstrapper",
                group("system:bootstrappers")));
        // kubeadm's auto-approval bindings: the approver asks a SubjectAccessReview whether the requestor may
        // create certificatesigningrequests/nodeclient (first join) or /selfnodeclient (a node renewing its own)
        // a joined agent runs its service proxy with the node's own credentials (kube4j agent)
        bindings.add(clusterRoleBinding("kube4j:node-proxier-nodes", "kube4j:node-proxier", group("system:nodes")));
        bindings.add(clusterRoleBinding("kube4j:node-autoapprove-bootstrap",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient", group("system:bootstrappers")));
        bindings.add(clusterRoleBinding("kube4j:node-autoapprove-certificate-rotation",
                "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", group("system:nodes")));
        return bindings;
    }

    public static List<ObjectNode> namespacedRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        roles.add(role("kube-system", "extension-apiserver-authentication-reader",
                rule(READ).groups("").resources("configmaps").names("extension-apiserver-authentication")));
        roles.add(role("kube-system", "system::leader-locking-kube-controller-manager",
                rule("watch").groups("").resources("configmaps"),
                rule("get", "update").groups("").resources("configmaps").names("kube-controller-manager")));
        roles.add(role("kube-system", "system::leader-locking-kube-scheduler",
                rule("watch").groups("").resources("configmaps"),
                rule("get", "update").groups("").resources("configmaps").names("kube-scheduler")));
        // the cluster DNS runs beside the proxy, with its credentials, and publishes the kube-dns Service
        roles.add(role("kube-system", "kube4j:cluster-dns",
                rule("create", "get", "list", "watch", "update", "patch", "delete").groups("")
                        .resources("services"),
                rule("create", "get", "list", "watch", "update", "patch", "delete").groups("discovery.k8s.io")
                        .resources("endpointslices")));
        // an agent reads the CA from kube-public/cluster-info before it trusts the server, as kubeadm's join does
        roles.add(role("kube-public", "kube4j:bootstrap-signer-clusterinfo",
                rule("get").groups("").resources("configmaps").names("cluster-info")));
        roles.add(role("kube-public", "system:controller:bootstrap-signer",
                rule(READ).groups("").resources("configmaps"),
                rule("update").groups("").resources("configmaps").names("cluster-info"),
                eventsRule()));
        return roles;
    }

    public static List<ObjectNode> namespacedRoleBindings() {
        List<ObjectNode> bindings = new ArrayList<>();
        bindings.add(roleBinding("kube-system", "system::extension-apiserver-authentication-reader",
                "extension-apiserver-authentication-reader",
                user("system:kube-controller-manager"), user("system:kube-scheduler")));
        bindings.add(roleBinding("kube-system", "system::leader-locking-kube-controller-manager",
                "system::leader-locking-kube-controller-manager", user("system:kube-controller-manager"),
                serviceAccount("kube-system", "kube-controller-manager")));
        bindings.add(roleBinding("kube-system", "system::leader-locking-kube-scheduler",
                "system::leader-locking-kube-scheduler", user("system:kube-scheduler"),
                serviceAccount("kube-system", "kube-scheduler")));
        bindings.add(roleBinding("kube-system", "kube4j:cluster-dns", "kube4j:cluster-dns",
                user("system:kube-proxy")));
        bindings.add(roleBinding("kube-public", "kube4j:bootstrap-signer-clusterinfo",
                "kube4j:bootstrap-signer-clusterinfo", user(UserInfo.ANONYMOUS_USER)));
        bindings.add(roleBinding("kube-public", "system:controller:bootstrap-signer",
                "system:controller:bootstrap-signer", serviceAccount("kube-system", "bootstrap-signer")));
        return bindings;
    }

    // --- a small builder so the policy above reads like upstream's ---

    static final class Rule {
        private final List<String> verbs;
        private List<String> groups = List.of();
        private List<String> resources = List.of();
        private List<String> names = List.of();
        private List<String> urls = List.of();

        private Rule(String... verbs) {
            this.verbs = List.of(verbs);
        }

        Rule groups(String... values) {
            groups = List.of(values);
            return this;
        }

        Rule resources(String... values) {
            resources = List.of(values);
            return this;
        }

        Rule names(String... values) {
            names = List.of(values);
            return this;
        }

        Rule urls(String... values) {
            urls = List.of(values);
            return this;
        }

        PolicyRule toPolicyRule() {
            return new PolicyRule(verbs, groups, resources, names, urls);
        }
    }

    static Rule rule(String... verbs) {
        return new Rule(verbs);
    }

    static Rule eventsRule() {
        return rule("create", "patch", "update").groups("", "events.k8s.io").resources("events");
    }

    /** A new RBAC object of {@code kind}, labelled and annotated as upstream's bootstrap policy objects. */
    private static ObjectNode rbacObject(String kind, String namespace, String name) {
        ObjectNode object = Json.object(V1, kind, namespace, name);
        ObjectNode metadata = Json.metadata(object);
        metadata.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        metadata.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
        return object;
    }

    static ObjectNode clusterRole(String name, Rule... rules) {
        ObjectNode role = rbacObject("ClusterRole", null, name);
        ArrayNode array = role.putArray("rules");
        for (Rule rule : rules) {
            array.add(rule.toPolicyRule().toJson());
        }
        return role;
    }

    private static ObjectNode role(String namespace, String name, Rule... rules) {
        ObjectNode role = rbacObject("Role", namespace, name);
        ArrayNode array = role.putArray("rules");
        for (Rule rule : rules) {
            array.add(rule.toPolicyRule().toJson());
        }
        return role;
    }

    private static ObjectNode aggregated(String name, String label) {
        ObjectNode role = clusterRole(name);
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
                .put(label, "true");
        return role;
    }

    private static ObjectNode labelled(ObjectNode role, String label) {
        Json.child(Json.metadata(role), "labels").put(label, "true");
        return role;
    }

    private static ObjectNode subject(String kind, String name, String namespace) {
        ObjectNode subject = Json.object();
        if (!kind.equals("ServiceAccount")) {
            subject.put("apiGroup", RBAC);
        }
        subject.put("kind", kind);
        subject.put("name", name);
        if (namespace != null) {
            subject.put("namespace", namespace);
        }
        return subject;
    }

    static ObjectNode user(String name) {
        return subject("User", name, null);
    }

    static ObjectNode group(String name) {
        return subject("Group", name, null);
    }

    static ObjectNode serviceAccount(String namespace, String name) {
        return subject("ServiceAccount", name, namespace);
    }

    static ObjectNode clusterRoleBinding(String name, String clusterRole, ObjectNode... subjects) {
        ObjectNode binding = rbacObject("ClusterRoleBinding", null, name);
        binding.putObject("roleRef").put("apiGroup", RBAC).put("kind", "ClusterRole").put("name", clusterRole);
        if (subjects.length > 0) {
            ArrayNode array = binding.putArray("subjects");
            for (ObjectNode subject : subjects) {
                array.add(subject);
            }
        }
        return binding;
    }

    private static ObjectNode roleBinding(String namespace, String name, String role, ObjectNode... subjects) {
        ObjectNode binding = rbacObject("RoleBinding", namespace, name);
        binding.putObject("roleRef").put("apiGroup", RBAC).put("kind", "Role").put("name", role);
        ArrayNode array = binding.putArray("subjects");
        for (ObjectNode subject : subjects) {
            array.add(subject);
        }
        return binding;
    }
}
