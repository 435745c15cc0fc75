package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.registry.DefaultStrategy;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Upstream's flowschema and prioritylevelconfiguration strategies, which differ only in their defaults and
 * validation: status reset on create and kept by spec writes, generation counting spec changes. Their columns are
 * kube4j-api's printers, as every built-in kind's.
 */
final class FlowControlStrategy extends DefaultStrategy {

    private final Consumer<ObjectNode> defaults;
    private final Function<ObjectNode, List<FieldError>> validation;

    private FlowControlStrategy(ResourceType type, Consumer<ObjectNode> defaults,
                                Function<ObjectNode, List<FieldError>> validation) {
        super(type);
        this.defaults = defaults;
        this.validation = validation;
    }

    static FlowControlStrategy flowSchemas(ResourceType type) {
        return new FlowControlStrategy(type, FlowControlDefaults::flowSchema, FlowControlValidation::flowSchema);
    }

    static FlowControlStrategy priorityLevels(ResourceType type) {
        return new FlowControlStrategy(type, FlowControlDefaults::priorityLevel, FlowControlValidation::priorityLevel);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
        defaults.accept(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForUpdate(obj, old);
        defaults.accept(obj);
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        return validation.apply(obj);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return validation.apply(obj);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public boolean startsGeneration() {
        return true;
    }
}
