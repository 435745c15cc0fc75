package io.kube4j.api.conversion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The top-level fields of a core/v1 Event and the events.k8s.io/v1 Event fields they are served as, after
 * upstream's pkg/apis/events/v1 conversion. Fields absent from this table do not survive a conversion,
 * as with upstream's typed conversion.
 */
final class EventFields {

    /** Each pair: core/v1 name, events.k8s.io/v1 name. */
    static final List<Map.Entry<String, String>> CORE_TO_EVENTS = List.of(
            Map.entry("involvedObject", "regarding"),
            Map.entry("message", "note"),
            Map.entry("source", "deprecatedSource"),
            Map.entry("firstTimestamp", "deprecatedFirstTimestamp"),
            Map.entry("lastTimestamp", "deprecatedLastTimestamp"),
            Map.entry("count", "deprecatedCount"),
            Map.entry("reportingComponent", "reportingController"),
            Map.entry("reportingInstance", "reportingInstance"),
            Map.entry("eventTime", "eventTime"),
            Map.entry("series", "series"),
            Map.entry("action", "action"),
            Map.entry("related", "related"),
            Map.entry("type", "type"),
            Map.entry("reason", "reason"));

    private EventFields() {
    }

    /**
     * Builds the converted object: type meta, a copy of metadata (managedFields renamed the same way, so that
     * field ownership recorded through one API still names the right fields when read through the other), and
     * each mapped field that is set.
     */
    static ObjectNode convert(ObjectNode in, String apiVersion, boolean toEvents) {
        ObjectNode out = in.objectNode();
        out.put("apiVersion", apiVersion);
        out.put("kind", "Event");
        JsonNode metadata = in.get("metadata");
        if (metadata instanceof ObjectNode meta) {
            ObjectNode copy = meta.deepCopy();
            renameManagedFields(copy, toEvents);
            out.set("metadata", copy);
        }
        for (Map.Entry<String, String> pair : CORE_TO_EVENTS) {
            String from = toEvents ? pair.getKey() : pair.getValue();
            String to = toEvents ? pair.getValue() : pair.getKey();
            JsonNode value = in.get(from);
            if (value != null && !value.isNull()) {
                out.set(to, value.deepCopy());
            }
        }
        return out;
    }

    private static void renameManagedFields(ObjectNode metadata, boolean toEvents) {
        JsonNode entries = metadata.get("managedFields");
        if (entries == null || !entries.isArray()) {
            return;
        }
        for (JsonNode entry : entries) {
            if (entry.get("fieldsV1") instanceof ObjectNode fields) {
                ((ObjectNode) entry).set("fieldsV1", renameFieldSet(fields, toEvents));
            }
        }
    }

    /** Keeps the order of a fieldsV1 set, renaming its top-level {@code f:} members. */
    private static ObjectNode renameFieldSet(ObjectNode fields, boolean toEvents) {
        ObjectNode renamed = fields.objectNode();
        for (Map.Entry<String, JsonNode> member : fields.properties()) {
            renamed.set(renameFieldKey(member.getKey(), toEvents), member.getValue());
        }
        return renamed;
    }

    private static String renameFieldKey(String key, boolean toEvents) {
        if (!key.startsWith("f:")) {
            return key;
        }
        String name = key.substring(2);
        for (Map.Entry<String, String> pair : CORE_TO_EVENTS) {
            if ((toEvents ? pair.getKey() : pair.getValue()).equals(name)) {
                return "f:" + (toEvents ? pair.getValue() : pair.getKey());
            }
        }
        return key;
    }
}
