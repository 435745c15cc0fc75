package io.kube4j.apiserver.apiregistration;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.ResetFields;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * Upstream's apiservice strategy: a new APIService starts with an empty status (the availability controllers fill
 * it), a main write keeps the stored status, and a status write changes the status alone - upstream's status strategy
 * puts back spec, labels, annotations, finalizers and owner references, so it also resets metadata.
 */
final class ApiServiceStrategy extends DefaultStrategy {

    ApiServiceStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
    }

    @Override
    public Set<String> statusWritableMetadata() {
        return Set.of();
    }

    @Override
    public FieldSet resetFields(boolean statusSubresource) {
        return statusSubresource ? ResetFields.of("spec", "metadata") : ResetFields.of("status");
    }
}
