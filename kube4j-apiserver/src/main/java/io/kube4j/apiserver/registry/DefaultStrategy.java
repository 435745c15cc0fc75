package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceType;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/** The strategy of a resource with no rules of its own. */
public class DefaultStrategy implements ResourceStrategy {

    protected final ResourceType type;
    /** Read once: looking the subresource up streams the type's subresources, several times per write. */
    private final boolean hasStatus;

    public DefaultStrategy(ResourceType type) {
        this.type = type;
        this.hasStatus = type.hasSubresource("status");
    }

    @Override
    public boolean hasStatus() {
        return hasStatus;
    }

    @Override
    public boolean tracksGeneration() {
        return GenerationTracking.tracks(type);
    }

    @Override
    public boolean startsGeneration() {
        return GenerationTracking.startsOnCreate(type);
    }

    @Override
    public boolean labelsBumpGeneration() {
        return GenerationTracking.labelsBump(type);
    }

    /**
     * Upstream's built-in status strategies (serviceStatusStrategy, nodeStatusStrategy, jobStatusStrategy, ...) reset
     * only spec, so a status write may change labels, annotations, finalizers and owner references; a strategy whose
     * upstream counterpart resets more says so.
     */
    @Override
    public Set<String> statusWritableMetadata() {
        return USER_METADATA;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        if (hasStatus()) {
            obj.remove("status");
        }
    }

    @Override
    public Set<String> selectableFields() {
        return Set.of();
    }
}
