package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 and events.k8s.io/v1 Events (upstream's legacyValidateEvent and the strict events.k8s.io rules). */
final class EventValidation {
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
    }
}
