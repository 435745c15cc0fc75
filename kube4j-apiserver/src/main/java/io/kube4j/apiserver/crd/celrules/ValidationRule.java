package io.kube4j.apiserver.crd.celrules;

import tools.jackson.databind.JsonNode;

/** One entry of a schema node's {@code x-kubernetes-validations}, as written. */
record ValidationRule(String rule, String message, String messageExpression, String reason, String fieldPath,
                      boolean optionalOldSelf) {

    static ValidationRule of(JsonNode entry) {
        return new ValidationRule(entry.path("rule").asString(""), entry.path("message").asString(""),
                entry.path("messageExpression").asString(""),
                entry.path("reason").isString() ? entry.get("reason").asString() : null,
                entry.path("fieldPath").asString(""), entry.path("optionalOldSelf").asBoolean(false));
    }

    /** How errors name the rule, as upstream's ruleErrorString: the message if any, else the rule. */
    String errorString() {
        return message.isBlank() ? rule.strip() : message.strip();
    }

    /** The detail of a failed rule without a messageExpression, as upstream's ruleMessageOrDefault. */
    String messageOrDefault() {
        return message.isBlank() ? "failed rule: " + errorString() : message.strip();
    }
}
