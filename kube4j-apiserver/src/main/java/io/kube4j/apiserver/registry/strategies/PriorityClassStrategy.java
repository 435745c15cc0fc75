package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.defaults.SystemPriorityClasses;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.registry.DefaultStrategy;

/** PriorityClasses: the system classes the API server creates cannot be deleted (upstream's REST.Delete). */
public final class PriorityClassStrategy extends DefaultStrategy {

    public PriorityClassStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void checkDelete(String namespace, String name) {
        if (SystemPriorityClasses.named(name).isPresent()) {
            throw StatusException.forbidden(type.group(), type.plural(), name,
                    "this is a system priority class and cannot be deleted");
        }
    }
}
