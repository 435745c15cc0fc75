package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.DefaultStrategy;

import java.util.Set;

/** Secrets can be selected by type. */
public final class SecretStrategy extends DefaultStrategy {

    public SecretStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public Set<String> selectableFields() {
        return Set.of("type");
    }
}
