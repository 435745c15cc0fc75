package io.kube4j.api.validation;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Equality of JSON trees the way Go compares decoded structs with {@code equality.Semantic.DeepEqual}: absent,
 * null, empty strings, empty lists and empty maps are all the zero value; numbers compare by value.
 */
final class SemanticEquality {
    private SemanticEquality() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        boolean az = isZero(a);
        boolean bz = isZero(b);
        if (az || bz) {
            return az && bz;
        }
        if (a.isNumber() && b.isNumber()) {
            // integers (nearly every number of an object) compare without two BigDecimals
            if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
                return a.asLong() == b.asLong();
            }
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            // the union of both key sets without building it: a's keys, then b's keys that a lacks (absent on a's side)
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!equal(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            for (Map.Entry<String, JsonNode> e : b.properties()) {
                if (!a.has(e.getKey()) && !isZero(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    static boolean isZero(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return true;
        }
        if (n.isString()) {
            return n.asString().isEmpty();
        }
        if (n.isContainer()) {
            if (n.isEmpty()) {
                return true;
            }
            if (n.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
                while (it.hasNext()) {
                    if (!isZero(it.next().getValue())) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }
        if (n.isBoolean()) {
            return !n.asBoolean();
        }
        if (n.isNumber()) {
            if (n.isIntegralNumber() && n.canConvertToLong()) {
                return n.asLong() == 0;
            }
            return n.decimalValue().compareTo(BigDecimal.ZERO) == 0;
        }
        return false;
    }
}
