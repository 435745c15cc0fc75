package io.kube4j.api.defaults;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * flowcontrol v1's defaulting (upstream's {@code SetDefaults_*} of k8s.io/kubernetes/pkg/apis/flowcontrol/v1) of
 * FlowSchemas and PriorityLevelConfigurations. Only fields that are absent or zero are filled; a field of the wrong
 * type is left for validation to refuse.
 */
public final class FlowControlDefaults {

    /** A FlowSchema's precedence when it gives none; also what the API server's matching assumes then. */
    public static final int DEFAULT_MATCHING_PRECEDENCE = 1000;
    static final int DEFAULT_NOMINAL_CONCURRENCY_SHARES = 30;
    static final int DEFAULT_QUEUES = 64;
    static final int DEFAULT_HAND_SIZE = 8;
    static final int DEFAULT_QUEUE_LENGTH_LIMIT = 50;

    private FlowControlDefaults() {
    }

    static void flowSchema(ObjectNode obj) {
        ObjectNode spec = Nodes.obj(obj, "spec");
        if (spec != null && isUnsetOrZero(spec.get("matchingPrecedence"))) {
            spec.put("matchingPrecedence", DEFAULT_MATCHING_PRECEDENCE);
        }
    }

    static void priorityLevel(ObjectNode obj) {
        ObjectNode spec = Nodes.obj(obj, "spec");
        if (spec == null) {
            return;
        }
        // the shares and lendablePercent are pointers upstream (*int32): defaulted only when absent
        ObjectNode exempt = Nodes.obj(spec, "exempt");
        if (exempt != null) {
            Nodes.defaultInt(exempt, "nominalConcurrencyShares", 0);
            Nodes.defaultInt(exempt, "lendablePercent", 0);
        }
        ObjectNode limited = Nodes.obj(spec, "limited");
        if (limited != null) {
            Nodes.defaultInt(limited, "nominalConcurrencyShares", DEFAULT_NOMINAL_CONCURRENCY_SHARES);
            Nodes.defaultInt(limited, "lendablePercent", 0);
            ObjectNode queuing = Nodes.obj(Nodes.obj(limited, "limitResponse"), "queuing");
            if (queuing != null) {
                putIfZero(queuing, "handSize", DEFAULT_HAND_SIZE);
                putIfZero(queuing, "queues", DEFAULT_QUEUES);
                putIfZero(queuing, "queueLengthLimit", DEFAULT_QUEUE_LENGTH_LIMIT);
            }
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
