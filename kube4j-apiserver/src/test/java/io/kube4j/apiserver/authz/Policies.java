package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: the default policy with aggregation applied, plus bindings built in one line. */
final class Policies {

    private Policies() {
    }

    static InMemoryRbacSource defaults() {
        InMemoryRbacSource source = InMemoryRbacSource.of(DefaultPolicy.objects());
        ClusterRoleAggregator.reconcile(source.allClusterRoles()).forEach(source::put);
        return source;
    }

    static ObjectNode roleBinding(String namespace, String name, String roleKind, String role, ObjectNode subject) {
        ObjectNode binding = Json.object();
        binding.put("apiVersion", "rbac.authorization.k8s.io/v1");
        binding.put("kind", namespace == null ? "ClusterRoleBinding" : "RoleBinding");
        binding.putObject("metadata").put("name", name);
        if (namespace != null) {
            ((ObjectNode) binding.get("metadata")).put("namespace", namespace);
        }
        binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", roleKind)
                .put("name", role);
        binding.putArray("subjects").add(subject);
        return binding;
    }

    static ObjectNode clusterRole(String name, PolicyRule... rules) {
        ObjectNode role = Json.object();
        role.put("apiVersion", "rbac.authorization.k8s.io/v1");
        role.put("kind", "ClusterRole");
        role.putObject("metadata").put("name", name);
        var array = role.putArray("rules");
        for (PolicyRule rule : rules) {
            array.add(rule.toJson());
        }
        return role;
    }

    static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
        return new PolicyRule(verbs, groups, resources, new ArrayList<>(), List.of());
    }
}
