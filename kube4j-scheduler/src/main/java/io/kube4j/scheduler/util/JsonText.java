package io.kube4j.scheduler.util;

/**
 * Writes JSON string literals. The scheduler's per-pod writes (the binding, the Scheduled event) have a fixed shape;
 * writing them straight into a StringBuilder spares a model object, its builder and a Jackson pass for each pod.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Appends {@code s} as a quoted JSON string ({@code null} as the literal null), escaped per RFC 8259. */
    public static StringBuilder string(StringBuilder out, String s) {
        if (s == null) return out.append("null");
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Other control characters, and lone surrogates (not valid UTF-8), as \\u escapes.
                    if (c < 0x20 || (Character.isSurrogate(c) && !validPair(s, i))) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        out.append(c).append(s.charAt(++i));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static boolean validPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
