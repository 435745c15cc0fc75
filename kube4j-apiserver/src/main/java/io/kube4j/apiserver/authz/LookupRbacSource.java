package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.ObjectLookup;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * RBAC objects read through the API server's registries on every decision, so that a Role or binding written a
 * moment ago applies to the next request. Lists come from the watch caches, not the store.
 */
public final class LookupRbacSource implements RbacSource {

    private final ObjectLookup lookup;

    public LookupRbacSource(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public Optional<ObjectNode> role(String namespace, String name) {
        return lookup.get("roles", namespace, name);
    }

    @Override
    public Optional<ObjectNode> clusterRole(String name) {
        return lookup.get("clusterroles", null, name);
    }

    @Override
    public List<ObjectNode> roleBindings(String namespace) {
        return namespace == null || namespace.isEmpty() ? List.of() : lookup.list("rolebindings", namespace);
    }

    @Override
    public List<ObjectNode> clusterRoleBindings() {
        return lookup.list("clusterrolebindings", null);
    }
}
