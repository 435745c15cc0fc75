package io.kube4j.api.selector;

import java.util.List;

/** Formats errors the way upstream field.Error / field.ErrorList.ToAggregate print them. */
final class FieldErrors {

    private FieldErrors() {
    }

    static String invalid(String path, Object value, String detail) {
        return path + ": Invalid value: " + goValue(value) + ": " + detail;
    }

    static String aggregate(List<String> errors) {
        return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    }

    private static String goValue(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[]string{");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(goQuote(String.valueOf(list.get(i))));
            }
            return sb.append('}').toString();
        }
        return goQuote(String.valueOf(value));
    }

    /** Go's %q for the common cases: double quotes, backslash escapes for quotes, backslashes and control chars. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
