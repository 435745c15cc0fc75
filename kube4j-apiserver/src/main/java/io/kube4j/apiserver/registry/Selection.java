package io.kube4j.apiserver.registry;

import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.watchcache.CachedObject;
import io.kube4j.apiserver.watchcache.Selectable;
import tools.jackson.databind.node.ObjectNode;

/** Which objects a list or watch wants: a namespace (or all), a label selector, a field selector. */
public record Selection(String namespace, LabelSelector labels, FieldSelector fields, ResourceStrategy strategy) {

    public boolean matches(ObjectNode obj) {
        if (obj == null) {
            return false;
        }
        if (namespace != null && !namespace.equals(Json.text(obj, "metadata", "namespace"))) {
            return false;
        }
        if (!labels.matchesEverything() && !labels.matches(Json.stringMap(Json.obj(obj, "metadata", "labels")))) {
            return false;
        }
        return fields.matchesEverything() || fields.matches(field -> {
            String value = strategy.fieldValue(obj, field);
            return value == null ? "" : value;
        });
    }

    /**
     * As {@link #matches(ObjectNode)}, from what the watch cache read of the object when it was written; the object
     * is decoded only for a field label those attributes lack (read by another resource's strategy).
     */
    public boolean matches(CachedObject cached) {
        if (cached == null) {
            return false;
        }
        Selectable attributes = cached.attributes();
        if (namespace != null && !namespace.equals(attributes.namespace())) {
            return false;
        }
        if (!labels.matchesEverything() && !labels.matches(attributes.labels())) {
            return false;
        }
        if (fields.matchesEverything()) {
            return true;
        }
        ObjectNode[] decoded = new ObjectNode[1];
        return fields.matches(field -> {
            String value = attributes.field(field, strategy);
            if (value != null) {
                return value;
            }
            if (decoded[0] == null) {
                decoded[0] = cached.object();
            }
            value = strategy.fieldValue(decoded[0], field);
            return value == null ? "" : value;
        });
    }

    public boolean selectsEverythingInScope() {
        return labels.matchesEverything() && fields.matchesEverything();
    }
}
