package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The total order structured-merge-diff puts on values (numbers, then strings, booleans, lists, maps, null), used to
 * sort set items and list keys the way upstream prints them, and to compare values numerically rather than by the
 * Java type Jackson happened to pick (an int and a long of the same value are equal).
 */
final class JsonOrder {

    private JsonOrder() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        return compare(a, b) == 0;
    }

    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                if (a.isIntegralNumber() && b.isIntegralNumber()) {
                    if (!a.isBigInteger() && !b.isBigInteger()) {
                        // ints and longs (nearly every number) compared without a BigInteger each
                        return Long.compare(a.longValue(), b.longValue());
                    }
                    return a.bigIntegerValue().compareTo(b.bigIntegerValue());
                }
                return a.decimalValue().compareTo(b.decimalValue());
            case 1:
                return a.asString().compareTo(b.asString());
            case 2:
                return Boolean.compare(a.booleanValue(), b.booleanValue());
            case 3:
                return compareLists(a, b);
            case 4:
                return compareMaps(a, b);
            default:
                return 0;
        }
    }

    private static int rank(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return 5;
        }
        if (n.isNumber()) {
            return 0;
        }
        if (n.isString()) {
            return 1;
        }
        if (n.isBoolean()) {
            return 2;
        }
        if (n.isArray()) {
            return 3;
        }
        return 4;
    }

    private static int compareLists(JsonNode a, JsonNode b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareMaps(JsonNode a, JsonNode b) {
        List<String> ka = sortedKeys(a);
        List<String> kb = sortedKeys(b);
        int n = Math.min(ka.size(), kb.size());
        for (int i = 0; i < n; i++) {
            int c = ka.get(i).compareTo(kb.get(i));
            if (c != 0) {
                return c;
            }
            c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ka.size(), kb.size());
    }

    private static List<String> sortedKeys(JsonNode n) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
            keys.add(it.next().getKey());
        }
        keys.sort(null);
        return keys;
    }
}
