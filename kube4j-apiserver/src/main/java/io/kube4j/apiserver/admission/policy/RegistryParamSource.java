package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * Params read through the registries, from their watch caches (upstream reads them from informers): a lister's read,
 * then a live one after a miss, so a param written a moment ago is still found.
 */
public final class RegistryParamSource implements ParamSource {

    private final Resources resources;

    public RegistryParamSource(Resources resources) {
        this.resources = resources;
    }

    @Override
    public Optional<Params> resource(String apiVersion, String kind) {
        for (GenericRegistry registry : resources.all()) {
            if (registry.type().apiVersion().equals(apiVersion) && registry.type().kind().equals(kind)) {
                return Optional.of(new RegistryParams(registry));
            }
        }
        return Optional.empty();
    }

    private record RegistryParams(GenericRegistry registry) implements Params {

        @Override
        public boolean namespaced() {
            return registry.type().namespaced();
        }

        @Override
        public Optional<ObjectNode> get(String namespace, String name) {
            Optional<ObjectNode> cached = registry.findCached(namespace, name);
            return cached.isPresent() ? cached : registry.find(namespace, name);
        }

        @Override
        public List<ObjectNode> list(String namespace, LabelSelector selector) {
            // resourceVersion "0": from the watch cache, as an informer's lister reads
            return registry.list(namespace, new ListOptions(selector, FieldSelector.everything(), 0, null, "0", null,
                    false, null, null)).items();
        }
    }
}
