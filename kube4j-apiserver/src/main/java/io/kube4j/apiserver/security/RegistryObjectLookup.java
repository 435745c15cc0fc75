package io.kube4j.apiserver.security;

import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The security components' read access, through the registries: single objects from the store (so a token of a
 * just-deleted pod is refused at once) or, for a lister's read, from the watch caches; lists from the watch caches. A resource is named by its plural; the core
 * group wins over others of the same name.
 */
public final class RegistryObjectLookup implements ObjectLookup {

    private static final ListOptions FROM_CACHE = new ListOptions(LabelSelector.everything(),
            FieldSelector.everything(), 0, null, "0", null, false, null, null);
    /** A consistent list (no resourceVersion): everything written before it, as upstream's quorum read. */
    private static final ListOptions LATEST = new ListOptions(LabelSelector.everything(),
            FieldSelector.everything(), 0, null, null, null, false, null, null);

    private final Resources resources;

    public RegistryObjectLookup(Resources resources) {
        this.resources = resources;
    }

    @Override
    public Optional<ObjectNode> get(String resource, String namespace, String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        return registry(resource).flatMap(r -> r.find(r.type().namespaced() ? namespace : null, name));
    }

    @Override
    public Optional<ObjectNode> getCached(String resource, String namespace, String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        return registry(resource).flatMap(r -> r.findCached(r.type().namespaced() ? namespace : null, name));
    }

    @Override
    public List<ObjectNode> list(String resource, String namespace) {
        return registry(resource).map(r -> r.list(r.type().namespaced() ? namespace : null, FROM_CACHE).items())
                .orElse(List.of());
    }

    @Override
    public List<ObjectNode> listLatest(String resource, String namespace) {
        return registry(resource).map(r -> r.list(r.type().namespaced() ? namespace : null, LATEST).items())
                .orElse(List.of());
    }

    private Optional<GenericRegistry> registry(String plural) {
        Optional<GenericRegistry> core = resources.find("", "v1", plural);
        if (core.isPresent()) {
            return core;
        }
        return resources.all().stream().filter(r -> r.type().plural().equals(plural)).findFirst();
    }
}
