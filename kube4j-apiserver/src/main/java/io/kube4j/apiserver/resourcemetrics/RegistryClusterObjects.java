package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Nodes and pods from the API server's own watch caches (resourceVersion=0 lists: no store read per request). */
public final class RegistryClusterObjects implements ClusterObjects {

    private static final ListOptions FROM_CACHE = new ListOptions(LabelSelector.everything(),
            FieldSelector.everything(), 0, null, "0", null, false, null, null);

    private final Resources resources;

    public RegistryClusterObjects(Resources resources) {
        this.resources = resources;
    }

    @Override
    public List<ObjectNode> nodes() {
        return list("nodes", null);
    }

    @Override
    public List<ObjectNode> pods(String namespace) {
        return list("pods", namespace);
    }

    private List<ObjectNode> list(String plural, String namespace) {
        return resources.find("", "v1", plural).map(r -> r.list(namespace, FROM_CACHE).items()).orElse(List.of());
    }
}
