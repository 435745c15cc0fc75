package io.kube4j.apiserver.flowcontrol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * flowcontrol v1's defaulting (upstream's {@code SetDefaults_*} of k8s.io/kubernetes/pkg/apis/flowcontrol/v1), applied
 * to a FlowSchema or PriorityLevelConfiguration before it is validated and stored. Only fields that are absent or
 * zero are filled; a field of the wrong type is left for validation to refuse.
 */
final class FlowControlDefaults {

    static final int DEFAULT_MATCHING_PRECEDENCE = 1000;
    static final int DEFAULT_NOMINAL_CONCURRENCY_SHARES = 30;
    static final int DEFAULT_QUEUES = 64;
    static final int DEFAULT_HAND_SIZE = 8;
    static final int DEFAULT_QUEUE_LENGTH_LIMIT = 50;

    private FlowControlDefaults() {
    }

    static void flowSchema(ObjectNode obj) {
        if (obj.get("spec") instanceof ObjectNode spec && isUnsetOrZero(spec.get("matchingPrecedence"))) {
            spec.put("matchingPrecedence", DEFAULT_MATCHING_PRECEDENCE);
        }
    }

    static void priorityLevel(ObjectNode obj) {
        if (!(obj.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        if (spec.get("exempt") instanceof ObjectNode exempt) {
            putIfAbsent(exempt, "nominalConcurrencyShares", 0);
            putIfAbsent(exempt, "lendablePercent", 0);
        }
        if (spec.get("limited") instanceof ObjectNode limited) {
            putIfAbsent(limited, "nominalConcurrencyShares", DEFAULT_NOMINAL_CONCURRENCY_SHARES);
            putIfAbsent(limited, "lendablePercent", 0);
            if (limited.get("limitResponse") instanceof ObjectNode response
                    && response.get("queuing") instanceof ObjectNode queuing) {
                putIfZero(queuing, "handSize", DEFAULT_HAND_SIZE);
                putIfZero(queuing, "queues", DEFAULT_QUEUES);
                putIfZero(queuing, "queueLengthLimit", DEFAULT_QUEUE_LENGTH_LIMIT);
            }
        }
    }

    /** A pointer field (upstream {@code *int32}): defaulted only when absent or null. */
    private static void putIfAbsent(ObjectNode node, String field, int value) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            node.put(field, value);
        }
    }

    /** A value field (upstream {@code int32}): zero means unset. */
    private static void putIfZero(ObjectNode node, String field, int value) {
        if (isUnsetOrZero(node.get(field))) {
            node.put(field, value);
        }
    }

    private static boolean isUnsetOrZero(JsonNode v) {
        return v == null || v.isNull() || (v.isIntegralNumber() && v.asLong() == 0);
    }
}
