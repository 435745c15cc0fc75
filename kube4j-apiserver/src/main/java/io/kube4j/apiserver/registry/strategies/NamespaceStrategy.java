package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DefaultStrategy;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Namespaces start Active with the {@code kubernetes} finalizer, and carry their name as a label. */
public final class NamespaceStrategy extends DefaultStrategy {

    public NamespaceStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").put("phase", "Active");
        Json.child(obj, "spec").putArray("finalizers").add("kubernetes");
        nameLabel(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForUpdate(obj, old);
        // spec.finalizers change only through the finalize subresource
        if (old.has("spec")) {
            obj.set("spec", old.get("spec").deepCopy());
        }
        nameLabel(obj);
    }

    @Override
    public boolean holdsDeletion(ObjectNode obj) {
        return obj.path("spec").path("finalizers").isArray() && !obj.path("spec").path("finalizers").isEmpty();
    }

    @Override
    public Set<String> selectableFields() {
        return Set.of("status.phase");
    }

    private static void nameLabel(ObjectNode obj) {
        Json.child(Json.metadata(obj), "labels").put("kubernetes.io/metadata.name", Json.text(obj, "metadata", "name"));
    }
}
