package io.kube4j.apiserver.security;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private static final Map<String, ResourceType> BUILTIN_OUTSIDE_CORE = builtinOutsideCore();

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
        ResourceType builtin = BUILTIN_OUTSIDE_CORE.get(plural);
        if (builtin != null) {
            return resources.find(builtin.group(), builtin.version(), plural);
        }
        return resources.all().stream().filter(r -> r.type().plural().equals(plural)).findFirst();
    }

    /**
     * The built-in resources outside the core group by plural, each in its group's preferred version. Admission reads
     * some of them on every write (webhook configurations) or pod create (priorityclasses): one map read instead of a
     * scan of every served resource, and a custom resource that reuses a built-in plural in its own group can never
     * be read in its place.
     */
    private static Map<String, ResourceType> builtinOutsideCore() {
        ResourceRegistry builtin = ResourceRegistry.builtin();
        Map<String, ResourceType> byPlural = new HashMap<>();
        for (ResourceType type : builtin.all()) {
            if (!type.group().isEmpty() && type.stored()
                    && builtin.preferredVersion(type.group()).orElse("").equals(type.version())) {
                byPlural.putIfAbsent(type.plural(), type);
            }
        }
        return Map.copyOf(byPlural);
    }
}
