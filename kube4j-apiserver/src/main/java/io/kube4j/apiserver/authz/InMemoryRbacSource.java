package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** RBAC objects held in maps: for tests, and for the default policy before the store is up. */
public final class InMemoryRbacSource implements RbacSource {

    private final Map<String, ObjectNode> roles = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> roleBindings = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> clusterRoleBindings = new ConcurrentHashMap<>();

    public static InMemoryRbacSource of(List<ObjectNode> objects) {
        InMemoryRbacSource source = new InMemoryRbacSource();
        objects.forEach(source::put);
        return source;
    }

    /** Adds or replaces a Role, ClusterRole, RoleBinding or ClusterRoleBinding by its kind. */
    public InMemoryRbacSource put(ObjectNode object) {
        String name = Json.text(object, "metadata", "name");
        String namespace = Json.text(object, "metadata", "namespace");
        String kind = Json.text(object, "kind");
        switch (kind == null ? "" : kind) {
            case "Role" -> roles.put(namespace + "/" + name, object);
            case "ClusterRole" -> clusterRoles.put(name, object);
            case "RoleBinding" -> roleBindings.put(namespace + "/" + name, object);
            case "ClusterRoleBinding" -> clusterRoleBindings.put(name, object);
            default -> throw new IllegalArgumentException("not an RBAC object: " + kind);
        }
        return this;
    }

    public List<ObjectNode> allClusterRoles() {
        return new ArrayList<>(clusterRoles.values());
    }

    @Override
    public Optional<ObjectNode> role(String namespace, String name) {
        return Optional.ofNullable(roles.get(namespace + "/" + name));
    }

    @Override
    public Optional<ObjectNode> clusterRole(String name) {
        return Optional.ofNullable(clusterRoles.get(name));
    }

    @Override
    public List<ObjectNode> roleBindings(String namespace) {
        List<ObjectNode> result = new ArrayList<>();
        roleBindings.forEach((key, binding) -> {
            if (key.startsWith(namespace + "/")) {
                result.add(binding);
            }
        });
        return result;
    }

    @Override
    public List<ObjectNode> clusterRoleBindings() {
        return new ArrayList<>(clusterRoleBindings.values());
    }
}
