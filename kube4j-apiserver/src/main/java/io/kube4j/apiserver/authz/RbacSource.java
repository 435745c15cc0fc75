package io.kube4j.apiserver.authz;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The RBAC objects the authorizer evaluates (rbac.authorization.k8s.io/v1 JSON). The API server backs it with
 * its watch caches so that every request does not hit the store.
 */
public interface RbacSource {

    Optional<ObjectNode> role(String namespace, String name);

    Optional<ObjectNode> clusterRole(String name);

    List<ObjectNode> roleBindings(String namespace);

    List<ObjectNode> clusterRoleBindings();
}
