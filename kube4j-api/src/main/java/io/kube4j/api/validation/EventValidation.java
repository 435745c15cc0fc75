package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 and events.k8s.io/v1 Events (upstream's legacyValidateEvent and the strict events.k8s.io rules). */
final class EventValidation {
    /** What an events.k8s.io/v1 update may not change (series may). */
    private static final List<String> IMMUTABLE_V1_FIELDS = List.of("regarding", "reason", "note",
            "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount", "type",
            "eventTime", "action", "related", "reportingController", "reportingInstance");

    private EventValidation() {
    }

    static void core(ObjectNode event, List<FieldError> errs) {
        String namespace = Json.strOr(Json.obj(event, "metadata"), "namespace", "");
        String involvedNs = Json.strOr(Json.obj(event, "involvedObject"), "namespace", "");
        boolean newStyle = !Json.strOr(event, "eventTime", "").isEmpty();
        if (!newStyle) {
            if (involvedNs.isEmpty()) {
                if (!namespace.isEmpty() && !namespace.equals("default")) {
                    errs.add(FieldError.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
                }
            } else if (!namespace.equals(involvedNs)) {
                errs.add(FieldError.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }
        } else {
            if (involvedNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errs.add(FieldError.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }
            String controller = Json.strOr(event, "reportingComponent", "");
            if (controller.isEmpty()) {
                errs.add(FieldError.required("reportingComponent", ""));
            }
            Checks.qualifiedName(controller, "reportingComponent", errs);
            if (Json.strOr(event, "reportingInstance", "").isEmpty()) {
                errs.add(FieldError.required("reportingInstance", ""));
            }
            if (Json.strOr(event, "action", "").isEmpty()) {
                errs.add(FieldError.required("action", ""));
            }
            if (Json.strOr(event, "reason", "").isEmpty()) {
                errs.add(FieldError.required("reason", ""));
            }
        }
        Checks.dns1123Subdomain(namespace, "namespace", errs);
    }

    /** events.k8s.io/v1: strict rules for the new API. */
    static void eventsV1(ObjectNode event, List<FieldError> errs) {
        if (Json.strOr(event, "eventTime", "").isEmpty()) {
            errs.add(FieldError.required("eventTime", ""));
        }
        String type = Json.strOr(event, "type", "");
        if (!type.equals("Normal") && !type.equals("Warning")) {
            errs.add(FieldError.invalid("type", "", "has invalid value: " + type));
        }
        if (!Json.strOr(event, "deprecatedFirstTimestamp", "").isEmpty()) {
            errs.add(FieldError.invalid("deprecatedFirstTimestamp", "", "needs to be unset"));
        }
        if (!Json.strOr(event, "deprecatedLastTimestamp", "").isEmpty()) {
            errs.add(FieldError.invalid("deprecatedLastTimestamp", "", "needs to be unset"));
        }
        String controller = Json.strOr(event, "reportingController", "");
        if (controller.isEmpty()) {
            errs.add(FieldError.required("reportingController", ""));
        }
        Checks.qualifiedName(controller, "reportingController", errs);
        if (Json.strOr(event, "reportingInstance", "").isEmpty()) {
            errs.add(FieldError.required("reportingInstance", ""));
        }
        if (Json.strOr(event, "action", "").isEmpty()) {
            errs.add(FieldError.required("action", ""));
        }
        if (Json.strOr(event, "reason", "").isEmpty()) {
            errs.add(FieldError.required("reason", ""));
        }
        if (Json.strOr(event, "note", "").length() > 1024) {
            errs.add(FieldError.invalid("note", "", "can have at most 1024 characters"));
        }
        JsonNode count = Json.node(event, "deprecatedCount");
        if (count != null && count.asLong(0) != 0) {
            errs.add(FieldError.invalid("deprecatedCount", "", "needs to be unset"));
        }
        ObjectNode source = Json.obj(event, "deprecatedSource");
        if (!Json.strOr(source, "component", "").isEmpty() || !Json.strOr(source, "host", "").isEmpty()) {
            errs.add(FieldError.invalid("deprecatedSource", "", "needs to be unset"));
        }
        series(event, errs);
    }

    /**
     * events.k8s.io/v1 updates: not the create rules (an event written through core/v1 may carry the deprecated
     * fields) but, as upstream, only series may change and a changed series must be valid.
     */
    static void eventsV1Update(ObjectNode event, ObjectNode old, List<FieldError> errs) {
        if (!SemanticEquality.equal(Json.node(event, "series"), Json.node(old, "series"))) {
            series(event, errs);
        }
        for (String field : IMMUTABLE_V1_FIELDS) {
            Checks.immutable(Json.node(event, field), Json.node(old, field), field, errs);
        }
    }

    private static void series(ObjectNode event, List<FieldError> errs) {
        ObjectNode series = Json.obj(event, "series");
        if (series == null) {
            return;
        }
        JsonNode count = Json.node(series, "count");
        if (count == null || count.asLong(0) < 2) {
            errs.add(FieldError.invalid("series.count", "", "should be at least 2"));
        }
        if (Json.strOr(series, "lastObservedTime", "").isEmpty()) {
            errs.add(FieldError.required("series.lastObservedTime", ""));
        }
    }
}
