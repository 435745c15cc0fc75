package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A webhook's refusal, answered as upstream's ToStatusErr does: the webhook's own Status with an error code (400
 * when it gave none below 400), its message after {@code admission webhook "x" denied the request}, and its reason
 * and details as it sent them - no reason when it sent none, so kubectl prints {@code Error from server: ...}.
 */
final class WebhookDenial extends StatusException {

    private final String webhookReason;
    private final JsonNode webhookDetails;

    private WebhookDenial(int code, StatusReason closest, String message, String webhookReason,
                          JsonNode webhookDetails) {
        super(code, closest, message, null);
        this.webhookReason = webhookReason;
        this.webhookDetails = webhookDetails;
    }

    static WebhookDenial of(String webhookName, ObjectNode status) {
        int code = status == null ? 0 : status.path("code").asInt(0);
        if (code < 400) {
            code = 400;
        }
        String reason = status == null ? "" : java.util.Objects.requireNonNullElse(Json.text(status, "reason"), "");
        String message = status == null ? null : Json.text(status, "message");
        String deniedBy = "admission webhook \"" + webhookName + "\" denied the request";
        if (message != null && !message.isEmpty()) {
            message = deniedBy + ": " + message;
        } else if (!reason.isEmpty()) {
            message = deniedBy + ": " + reason;
        } else {
            message = deniedBy + " without explanation";
        }
        JsonNode details = status == null ? null : status.get("details");
        return new WebhookDenial(code, closest(reason, code), message, reason,
                details instanceof ObjectNode ? details.deepCopy() : null);
    }

    /** The reason kube4j's own code reads: the webhook's when it is a known one, else the one paired with the code. */
    private static StatusReason closest(String text, int code) {
        for (StatusReason reason : StatusReason.values()) {
            if (reason.wireName().equals(text)) {
                return reason;
            }
        }
        for (StatusReason reason : StatusReason.values()) {
            if (reason.code() == code) {
                return reason;
            }
        }
        return StatusReason.BAD_REQUEST;
    }

    /** The reason the webhook gave ("" for none). */
    String webhookReason() {
        return webhookReason;
    }

    @Override
    public ObjectNode toStatus() {
        ObjectNode status = super.toStatus();
        if (webhookReason.isEmpty()) {
            status.remove("reason");
        } else {
            status.put("reason", webhookReason);
        }
        if (webhookDetails != null) {
            status.set("details", webhookDetails.deepCopy());
        }
        return status;
    }
}
