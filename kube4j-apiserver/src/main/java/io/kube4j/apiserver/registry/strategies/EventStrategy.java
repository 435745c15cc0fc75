package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.registry.DefaultStrategy;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
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
    public Set<String> selectableFields() {
        return type.group().isEmpty() ? CORE_FIELDS : EVENTS_API_FIELDS;
    }

    @Override
    public String fieldValue(ObjectNode obj, String field) {
        if (field.equals("source")) {
            // events written through events.k8s.io carry no source: upstream selects their reporting controller
            String component = obj.path("source").path("component").asString("");
            return component.isEmpty() ? obj.path("reportingComponent").asString("") : component;
        }
        return super.fieldValue(obj, field);
    }

    /**
     * events.k8s.io writes also pass upstream's legacy rule that the core API checks: the event's namespace is
     * the one of the object it is about (default or kube-system for an object without one).
     */
    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        return type.group().isEmpty() ? List.of() : legacyNamespaceRule(obj);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return type.group().isEmpty() ? List.of() : legacyNamespaceRule(obj);
    }

    private static List<FieldError> legacyNamespaceRule(ObjectNode event) {
        String namespace = event.path("metadata").path("namespace").asString("");
        String regardingNamespace = event.path("regarding").path("namespace").asString("");
        boolean matches;
        if (event.path("eventTime").asString("").isEmpty()) {
            matches = regardingNamespace.isEmpty() ? namespace.isEmpty() || namespace.equals("default")
                    : regardingNamespace.equals(namespace);
        } else {
            matches = !regardingNamespace.isEmpty() || namespace.equals("default") || namespace.equals("kube-system");
        }
        if (!matches) {
            return List.of(FieldError.invalid("involvedObject.namespace", regardingNamespace,
                    "does not match event.namespace"));
        }
        return List.of();
    }
}
