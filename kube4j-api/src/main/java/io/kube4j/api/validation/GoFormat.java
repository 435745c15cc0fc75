package io.kube4j.api.validation;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Prints bad values the way Go's fmt does in upstream's field errors ({@code %q} for strings, {@code %v} for numbers). */
final class GoFormat {
    private GoFormat() {
    }

    /** A value printed as is (upstream's Stringer types: IntOrString, ResourceName, Quantity). */
    record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Raw r) {
            return r.text();
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof JsonNode n) {
            if (n.isString()) {
                return quote(n.asString());
            }
            if (n.isNull() || n.isMissingNode()) {
                return "null";
            }
            if (n.isNumber() || n.isBoolean()) {
                return n.toString();
            }
            return n.toString();
        }
        if (v instanceof Collection<?> c) {
            StringBuilder b = new StringBuilder("[]string{");
            Iterator<?> it = c.iterator();
            while (it.hasNext()) {
                b.append(value(it.next()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append('}').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("map[string]string{");
            boolean first = true;
            for (Object k : new java.util.TreeMap<>(m).keySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                b.append(quote(String.valueOf(k))).append(':').append(value(m.get(k)));
            }
            return b.append('}').toString();
        }
        return v.toString();
    }

    /** Go's strconv.Quote for the common cases. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
