package io.kube4j.controllers.namespace;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** A namespaced resource type that can be listed and deleted. */
public record NamespacedResource(String group, String version, String resource, String kind) {
    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(resource)
                .withKind(kind).withNamespaced(true).build();
    }

    /** As upstream prints it in conditions: {@code pods.} for the core group. */
    public String groupResource() {
        return resource + "." + group;
    }
}
