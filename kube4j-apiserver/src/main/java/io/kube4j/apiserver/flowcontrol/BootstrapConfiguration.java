package io.kube4j.apiserver.flowcontrol;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The configuration an API server brings along, as upstream 1.32's apis/flowcontrol/bootstrap: the mandatory
 * objects (the exempt and catch-all priority levels and flow schemas), which are always present with exactly this
 * spec, and the suggested ones, created when missing and kept up to date while their auto-update annotation allows.
 * Every object is returned fresh (callers may change it) and already carries v1's defaults, so a stored object that
 * was never edited equals it.
 */
final class BootstrapConfiguration {

    static final String AUTO_UPDATE_ANNOTATION = "apf.kubernetes.io/autoupdate-spec";
    static final String EXEMPT = "exempt";
    static final String CATCH_ALL = "catch-all";

    private static final String KUBE_CONTROLLER_MANAGER = "system:kube-controller-manager";
    private static final String KUBE_SCHEDULER = "system:kube-scheduler";

    private BootstrapConfiguration() {
    }

    static List<ObjectNode> mandatoryPriorityLevels() {
        ObjectNode exempt = priorityLevel(EXEMPT);
        ObjectNode spec = exempt.putObject("spec");
        spec.put("type", "Exempt");
        spec.putObject("exempt").put("nominalConcurrencyShares", 0).put("lendablePercent", 0);
        return List.of(exempt, limited(CATCH_ALL, 5, 0, null));
    }

    static List<ObjectNode> mandatoryFlowSchemas() {
        return List.of(
                flowSchema(EXEMPT, EXEMPT, 1, null, everything(groups(UserInfo.SYSTEM_MASTERS))),
                flowSchema(CATCH_ALL, CATCH_ALL, 10_000, "ByUser",
                        everything(groups(UserInfo.ALL_UNAUTHENTICATED, UserInfo.ALL_AUTHENTICATED))));
    }

    static List<ObjectNode> suggestedPriorityLevels() {
        return List.of(
                limited("system", 30, 33, new int[] {64, 6, 50}),
                limited("node-high", 40, 25, new int[] {64, 6, 50}),
                limited("leader-election", 10, 0, new int[] {16, 4, 50}),
                limited("workload-high", 40, 50, new int[] {128, 6, 50}),
                limited("workload-low", 100, 90, new int[] {128, 6, 50}),
                limited("global-default", 20, 50, new int[] {128, 6, 50}));
    }

    static List<ObjectNode> suggestedFlowSchemas() {
        ArrayNode leaderElectionRules = Json.MAPPER.createArrayNode()
                .add(resourceRule(List.of("get", "create", "update"), "", List.of("endpoints", "configmaps"),
                        List.of("kube-system"), false))
                .add(resourceRule(List.of("get", "create", "update"), "coordination.k8s.io", List.of("leases"),
                        List.of("*"), false));
        ArrayNode workloadLeaderElectionRules = Json.MAPPER.createArrayNode()
                .add(resourceRule(List.of("get", "create", "update"), "", List.of("endpoints", "configmaps"),
                        List.of("*"), false))
                .add(resourceRule(List.of("get", "create", "update"), "coordination.k8s.io", List.of("leases"),
                        List.of("*"), false));
        ArrayNode nodeHighRules = Json.MAPPER.createArrayNode()
                .add(resourceRule(List.of("*"), "", List.of("nodes", "nodes/status"), List.of("*"), true))
                .add(resourceRule(List.of("*"), "coordination.k8s.io", List.of("leases"), List.of("*"), false));
        ArrayNode endpointRules = Json.MAPPER.createArrayNode()
                .add(resourceRule(List.of("*"), "", List.of("endpoints"), List.of("*"), false));
        ObjectNode probes = Json.object();
        probes.set("subjects", groups(UserInfo.ALL_UNAUTHENTICATED, UserInfo.ALL_AUTHENTICATED));
        probes.putArray("nonResourceRules").add(nonResourceRule(List.of("get"), List.of("/healthz", "/readyz",
                "/livez")));
        return List.of(
                flowSchema("system-nodes", "system", 500, "ByUser", everything(groups(UserInfo.NODES_GROUP))),
                flowSchema("system-node-high", "node-high", 400, "ByUser",
                        rules(groups(UserInfo.NODES_GROUP), nodeHighRules)),
                flowSchema("probes", EXEMPT, 2, null, probes),
                flowSchema("system-leader-election", "leader-election", 100, "ByUser",
                        rules(users(KUBE_CONTROLLER_MANAGER, KUBE_SCHEDULER).add(kubeSystemAccount("*")),
                                leaderElectionRules)),
                flowSchema("endpoint-controller", "workload-high", 150, "ByUser",
                        rules(users(KUBE_CONTROLLER_MANAGER).add(kubeSystemAccount("endpoint-controller"))
                                .add(kubeSystemAccount("endpointslicemirroring-controller")), endpointRules)),
                flowSchema("workload-leader-election", "leader-election", 200, "ByUser",
                        rules(Json.MAPPER.createArrayNode().add(kubeSystemAccount("*")), workloadLeaderElectionRules)),
                flowSchema("kube-controller-manager", "workload-high", 800, "ByNamespace",
                        everything(users(KUBE_CONTROLLER_MANAGER))),
                flowSchema("kube-scheduler", "workload-high", 800, "ByNamespace", everything(users(KUBE_SCHEDULER))),
                flowSchema("kube-system-service-accounts", "workload-high", 900, "ByNamespace",
                        everything(Json.MAPPER.createArrayNode().add(kubeSystemAccount("*")))),
                flowSchema("service-accounts", "workload-low", 9000, "ByUser",
                        everything(groups(UserInfo.SERVICE_ACCOUNTS_GROUP))),
                flowSchema("global-default", "global-default", 9900, "ByUser",
                        everything(groups(UserInfo.ALL_UNAUTHENTICATED, UserInfo.ALL_AUTHENTICATED))));
    }

    // ---- builders ----

    private static ObjectNode priorityLevel(String name) {
        return object("PriorityLevelConfiguration", name);
    }

    /** A Limited level; {@code queuing} is {queues, handSize, queueLengthLimit}, or null to reject. */
    private static ObjectNode limited(String name, int shares, int lendablePercent, int[] queuing) {
        ObjectNode level = priorityLevel(name);
        ObjectNode spec = level.putObject("spec");
        spec.put("type", "Limited");
        ObjectNode limited = spec.putObject("limited");
        limited.put("nominalConcurrencyShares", shares);
        limited.put("lendablePercent", lendablePercent);
        ObjectNode response = limited.putObject("limitResponse");
        if (queuing == null) {
            response.put("type", "Reject");
        } else {
            response.put("type", "Queue");
            response.putObject("queuing").put("queues", queuing[0]).put("handSize", queuing[1])
                    .put("queueLengthLimit", queuing[2]);
        }
        return level;
    }

    private static ObjectNode flowSchema(String name, String level, int precedence, String distinguisher,
                                         ObjectNode rule) {
        ObjectNode schema = object("FlowSchema", name);
        ObjectNode spec = schema.putObject("spec");
        spec.putObject("priorityLevelConfiguration").put("name", level);
        spec.put("matchingPrecedence", precedence);
        if (distinguisher != null) {
            spec.putObject("distinguisherMethod").put("type", distinguisher);
        }
        spec.putArray("rules").add(rule);
        return schema;
    }

    private static ObjectNode object(String kind, String name) {
        ObjectNode obj = Json.object();
        obj.put("apiVersion", FlowControlResources.GROUP + "/" + FlowControlResources.VERSION);
        obj.put("kind", kind);
        ObjectNode metadata = obj.putObject("metadata");
        metadata.put("name", name);
        metadata.putObject("annotations").put(AUTO_UPDATE_ANNOTATION, "true");
        return obj;
    }

    /** Every verb on every resource in every namespace and cluster-wide, and every non-resource URL. */
    private static ObjectNode everything(ArrayNode subjects) {
        ObjectNode rule = rules(subjects, Json.MAPPER.createArrayNode()
                .add(resourceRule(List.of("*"), "*", List.of("*"), List.of("*"), true)));
        rule.putArray("nonResourceRules").add(nonResourceRule(List.of("*"), List.of("*")));
        return rule;
    }

    private static ObjectNode rules(ArrayNode subjects, ArrayNode resourceRules) {
        ObjectNode rule = Json.object();
        rule.set("subjects", subjects);
        rule.set("resourceRules", resourceRules);
        return rule;
    }

    private static ObjectNode resourceRule(List<String> verbs, String group, List<String> resources,
                                           List<String> namespaces, boolean clusterScope) {
        ObjectNode rule = Json.object();
        verbs.forEach(rule.putArray("verbs")::add);
        rule.putArray("apiGroups").add(group);
        resources.forEach(rule.putArray("resources")::add);
        if (clusterScope) {
            rule.put("clusterScope", true);
        }
        namespaces.forEach(rule.putArray("namespaces")::add);
        return rule;
    }

    private static ObjectNode nonResourceRule(List<String> verbs, List<String> urls) {
        ObjectNode rule = Json.object();
        verbs.forEach(rule.putArray("verbs")::add);
        urls.forEach(rule.putArray("nonResourceURLs")::add);
        return rule;
    }

    private static ArrayNode groups(String... names) {
        ArrayNode subjects = Json.MAPPER.createArrayNode();
        for (String name : names) {
            ObjectNode subject = subjects.addObject();
            subject.put("kind", "Group");
            subject.putObject("group").put("name", name);
        }
        return subjects;
    }

    private static ArrayNode users(String... names) {
        ArrayNode subjects = Json.MAPPER.createArrayNode();
        for (String name : names) {
            ObjectNode subject = subjects.addObject();
            subject.put("kind", "User");
            subject.putObject("user").put("name", name);
        }
        return subjects;
    }

    private static ObjectNode kubeSystemAccount(String name) {
        ObjectNode subject = Json.object();
        subject.put("kind", "ServiceAccount");
        subject.putObject("serviceAccount").put("namespace", "kube-system").put("name", name);
        return subject;
    }
}
