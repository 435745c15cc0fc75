package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceType;

/** Namespace lifecycle admission: objects go only into namespaces that exist and are not terminating. */
public interface NamespaceGuard {
    void checkCanCreate(String namespace, ResourceType type, String name);
}
