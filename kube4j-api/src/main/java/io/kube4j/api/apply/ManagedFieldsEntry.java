package io.kube4j.api.apply;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One metav1.ManagedFieldsEntry. {@code time} and {@code fieldsV1} may be null; absent strings are "".
 *
 * @param operation "Apply" or "Update" in a valid entry
 * @param fieldsV1 the FieldsV1 object as sent (see {@link #fields()})
 */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, Instant time,
                                 String fieldsType, JsonNode fieldsV1, String subresource) {

    public ManagedFieldsEntry {
        manager = manager == null ? "" : manager;
        operation = operation == null ? "" : operation;
        apiVersion = apiVersion == null ? "" : apiVersion;
        fieldsType = fieldsType == null ? "" : fieldsType;
        subresource = subresource == null ? "" : subresource;
    }

    /**
     * The owned fields.
     *
     * @throws IllegalArgumentException when {@code fieldsV1} is not valid FieldsV1
     */
    public FieldSet fields() {
        return FieldSet.fromFieldsV1(fieldsV1);
    }

    /** Whether every field is unset, the {@code [{}]} a client sends to clear managedFields. */
    public boolean isEmpty() {
        return manager.isEmpty() && operation.isEmpty() && apiVersion.isEmpty() && time == null
                && fieldsType.isEmpty() && fieldsV1 == null && subresource.isEmpty();
    }

    /** The JSON form, fields in upstream's order, empty ones left out. */
    public ObjectNode toJson() {
        return toJson(true);
    }

    /** {@link #toJson()}, sharing {@code fieldsV1} instead of copying it when {@code copyFields} is false. */
    ObjectNode toJson(boolean copyFields) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        putIfSet(n, "manager", manager);
        putIfSet(n, "operation", operation);
        putIfSet(n, "apiVersion", apiVersion);
        if (time != null) {
            n.put("time", ManagedFields.formatTime(time));
        }
        putIfSet(n, "fieldsType", fieldsType);
        if (fieldsV1 != null) {
            n.set("fieldsV1", copyFields ? fieldsV1.deepCopy() : fieldsV1);
        }
        putIfSet(n, "subresource", subresource);
        return n;
    }

    private static void putIfSet(ObjectNode n, String name, String value) {
        if (!value.isEmpty()) {
            n.put(name, value);
        }
    }
}
