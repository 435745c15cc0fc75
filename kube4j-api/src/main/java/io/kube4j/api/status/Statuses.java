package io.kube4j.api.status;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builds metav1.Status objects: failures from {@link StatusException}, and the Success of a delete. */
public final class Statuses {

    private Statuses() {
    }

    public static ObjectNode failure(int code, String reason, String message, StatusDetails details) {
        ObjectNode status = header();
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        if (details != null) {
            ObjectNode d = detailsJson(details);
            if (!d.isEmpty()) {
                status.set("details", d);
            }
        }
        status.put("code", code);
        return status;
    }

    /** What a delete answers when the object is gone at once (upstream returns the Status, not the object). */
    public static ObjectNode success(String group, String resource, String name, String uid) {
        ObjectNode status = header();
        status.put("status", "Success");
        ObjectNode details = detailsJson(new StatusDetails(name, group, resource, uid, null, 0));
        status.set("details", details);
        return status;
    }

    private static ObjectNode header() {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        return status;
    }

    private static ObjectNode detailsJson(StatusDetails details) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        putIfSet(d, "name", details.name());
        putIfSet(d, "group", details.group());
        putIfSet(d, "kind", details.kind());
        putIfSet(d, "uid", details.uid());
        if (!details.causes().isEmpty()) {
            ArrayNode causes = d.putArray("causes");
            for (StatusCause cause : details.causes()) {
                ObjectNode c = causes.addObject();
                putIfSet(c, "reason", cause.reason());
                putIfSet(c, "message", cause.message());
                putIfSet(c, "field", cause.field());
            }
        }
        if (details.retryAfterSeconds() > 0) {
            d.put("retryAfterSeconds", details.retryAfterSeconds());
        }
        return d;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
