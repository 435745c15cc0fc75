package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.DefaultStrategy;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Events expire after an hour and can be selected by the object they are about. */
public final class EventStrategy extends DefaultStrategy {

    public static final long TTL_SECONDS = 3600;

    private static final Set<String> CORE_FIELDS = Set.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
            "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");
    private static final Set<String> EVENTS_API_FIELDS = Set.of("regarding.kind", "regarding.namespace",
            "regarding.name", "regarding.uid", "regarding.apiVersion", "regarding.resourceVersion",
            "regarding.fieldPath", "reason", "reportingController", "type");

    public EventStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public long ttlSeconds() {
        return TTL_SECONDS;
    }

    @Override
    public boolean tracksGeneration() {
        return false;
    }

    @Override
    public Set<String> selectableFields() {
        return type.group().isEmpty() ? CORE_FIELDS : EVENTS_API_FIELDS;
    }

    @Override
    public String fieldValue(ObjectNode obj, String field) {
        if (field.equals("source")) {
            return obj.path("source").path("component").asString("");
        }
        return super.fieldValue(obj, field);
    }
}
