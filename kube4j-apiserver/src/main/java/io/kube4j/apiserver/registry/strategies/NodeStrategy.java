package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.DefaultStrategy;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Nodes keep the status their kubelet registers them with. */
public final class NodeStrategy extends DefaultStrategy {

    public NodeStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        // the kubelet registers a node with its status: keep it
    }

    @Override
    public Set<String> selectableFields() {
        return Set.of("spec.unschedulable");
    }

    @Override
    public String fieldValue(ObjectNode obj, String field) {
        if (field.equals("spec.unschedulable")) {
            return Boolean.toString(obj.path("spec").path("unschedulable").asBoolean(false));
        }
        return super.fieldValue(obj, field);
    }
}
