package io.kube4j.apiserver.registry;

import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.json.Json;
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

    public boolean selectsEverythingInScope() {
        return labels.matchesEverything() && fields.matchesEverything();
    }
}
