package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.DefaultStrategy;

/**
 * Upstream's flowschema and prioritylevelconfiguration strategies: status reset on create and kept by spec writes,
 * generation counting spec changes. Their defaults, validation and columns are kube4j-api's, registered by kind as
 * every built-in kind's.
 */
final class FlowControlStrategy extends DefaultStrategy {

    FlowControlStrategy(ResourceType type) {
        super(type);
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
