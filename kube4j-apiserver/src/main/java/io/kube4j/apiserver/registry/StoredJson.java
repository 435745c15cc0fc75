package io.kube4j.apiserver.registry;

import java.util.Arrays;

/**
 * Reads a stored object's bytes ({@link ObjectCodec}'s form: Jackson's compact JSON without
 * metadata.resourceVersion) just far enough to serve them without decoding: where metadata.resourceVersion goes.
 * It also checks that the bytes are exactly what decoding and re-encoding them would give (no whitespace, the
 * escapes and integers Jackson writes, no floats, the expected apiVersion and namespace, metadata and apiVersion
 * once each); whatever it is not sure of answers -1, and the caller decodes that object instead. Values written
 * through the API always pass; values put by hand ({@code kube4j store put}) may not.
 *
 * <p>Not checked: duplicate keys below the top level and invalid UTF-8 inside strings (only a hand-written value
 * can have them; such an object is served as stored rather than as decoding would rewrite it).
 */
public final class StoredJson {

    /** Deeper nesting than this is left to the decoder (Jackson's own limit is deeper still). */
    private static final int MAX_DEPTH = 200;
    private static final byte[] METADATA = key("metadata");
    private static final byte[] API_VERSION = key("apiVersion");
    private static final byte[] NAMESPACE = key("namespace");
    private static final byte[] RESOURCE_VERSION = key("resourceVersion");
    /** Bytes a string runs over without a second look: all but '"', '\\' and control characters. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 256; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private StoredJson() {
    }

    /**
     * The offset of the closing brace of the top-level {@code metadata} object, where
     * {@code "resourceVersion":"N"} is inserted (preceded by a comma unless the byte before is '{'); -1 when the
     * object must be decoded instead.
     *
     * @param apiVersionJson the apiVersion the object must have, as a JSON string with its quotes
     * @param namespaceJson the namespace it must have, as a JSON string with its quotes, or null for any
     */
    public static int resourceVersionSlot(byte[] json, byte[] apiVersionJson, byte[] namespaceJson) {
        Slots slots = slots(json, apiVersionJson, namespaceJson);
        return slots == null ? -1 : slots.resourceVersionSlot();
    }

    /**
     * Where the top-level metadata object starts (its opening brace) and where its resourceVersion goes (see
     * {@link #resourceVersionSlot}), for a Table row that carries the metadata as stored; null when the object must
     * be decoded instead.
     */
    public static Slots slots(byte[] json, byte[] apiVersionJson, byte[] namespaceJson) {
        try {
            Scan scan = new Scan(json);
            int slot = scan.topLevel(apiVersionJson, namespaceJson);
            return slot < 0 ? null : new Slots(scan.metadataStart, slot);
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return null;
        }
    }

    /**
     * {@code json} (a stored value) with {@code "resourceVersion":"<modRevision>"} inserted where decoding appends it
     * to metadata: the bytes encoding the decoded object would give; null when the object must be decoded instead
     * (see {@link #resourceVersionSlot}).
     */
    public static byte[] withResourceVersion(byte[] json, long modRevision, byte[] apiVersionJson) {
        int slot = resourceVersionSlot(json, apiVersionJson, null);
        if (slot < 0) {
            return null;
        }
        // an empty metadata object takes the field without a comma before it
        boolean comma = json[slot - 1] != '{';
        String revision = Long.toString(modRevision);
        int fieldLength = (comma ? 1 : 0) + RESOURCE_VERSION.length + 2 + revision.length() + 1;
        byte[] out = new byte[json.length + fieldLength];
        System.arraycopy(json, 0, out, 0, slot);
        int at = slot;
        if (comma) {
            out[at++] = ',';
        }
        System.arraycopy(RESOURCE_VERSION, 0, out, at, RESOURCE_VERSION.length);
        at += RESOURCE_VERSION.length;
        out[at++] = ':';
        out[at++] = '"';
        for (int i = 0; i < revision.length(); i++) {
            out[at++] = (byte) revision.charAt(i);
        }
        out[at++] = '"';
        System.arraycopy(json, slot, out, at, json.length - slot);
        return out;
    }

    /** Offsets into a stored object: its metadata's opening brace and closing brace. */
    public record Slots(int metadataStart, int resourceVersionSlot) {
    }

    /** {@code text} as the JSON string Jackson writes for it (with quotes), for names and versions. */
    public static byte[] quoted(String text) {
        // apiVersions and namespaces are printable ASCII, which Jackson writes as is: setting up its generator for
        // them was a tenth of what an update allocated
        byte[] out = new byte[text.length() + 2];
        out[0] = '"';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return io.kube4j.apiserver.json.Json.MAPPER.writeValueAsBytes(text);
            }
            out[i + 1] = (byte) c;
        }
        out[out.length - 1] = '"';
        return out;
    }

    private static byte[] key(String name) {
        return ("\"" + name + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** One pass over one value; every method returns the offset after what it read, or -1. */
    private static final class Scan {
        private final byte[] b;
        /** The offset of the top-level metadata object's opening brace, once read. */
        private int metadataStart = -1;

        Scan(byte[] b) {
            this.b = b;
        }

        int topLevel(byte[] apiVersionJson, byte[] namespaceJson) {
            if (b.length < 2 || b[0] != '{' || b[1] == '}') {
                return -1;
            }
            int i = 1;
            int slot = -1;
            boolean apiVersionSeen = false;
            while (true) {
                int keyStart = i;
                i = string(i);
                if (i < 0 || b[i] != ':') {
                    return -1;
                }
                int valueStart = i + 1;
                if (is(keyStart, i, METADATA)) {
                    if (slot >= 0 || b[valueStart] != '{') {
                        return -1;
                    }
                    metadataStart = valueStart;
                    slot = metadata(valueStart, namespaceJson);
                    if (slot < 0) {
                        return -1;
                    }
                    i = slot + 1;
                } else {
                    i = value(valueStart, 1);
                    if (i < 0) {
                        return -1;
                    }
                    if (is(keyStart, valueStart - 1, API_VERSION)) {
                        if (apiVersionSeen || !is(valueStart, i, apiVersionJson)) {
                            return -1;
                        }
                        apiVersionSeen = true;
                    }
                }
                if (b[i] == '}') {
                    return i + 1 == b.length && apiVersionSeen ? slot : -1;
                }
                if (b[i] != ',') {
                    return -1;
                }
                i++;
            }
        }

        /** The metadata object at {@code i}: the offset of its closing brace. */
        private int metadata(int i, byte[] namespaceJson) {
            boolean namespaceSeen = false;
            i++;
            if (b[i] == '}') {
                return namespaceJson == null ? i : -1;
            }
            while (true) {
                int keyStart = i;
                i = string(i);
                if (i < 0 || b[i] != ':') {
                    return -1;
                }
                int keyEnd = i;
                int valueStart = i + 1;
                i = value(valueStart, 2);
                if (i < 0 || is(keyStart, keyEnd, RESOURCE_VERSION)) {
                    return -1;
                }
                if (is(keyStart, keyEnd, NAMESPACE)) {
                    if (namespaceSeen || namespaceJson != null && !is(valueStart, i, namespaceJson)) {
                        return -1;
                    }
                    namespaceSeen = true;
                }
                if (b[i] == '}') {
                    return namespaceJson == null || namespaceSeen ? i : -1;
                }
                if (b[i] != ',') {
                    return -1;
                }
                i++;
            }
        }

        private boolean is(int from, int to, byte[] expected) {
            return to - from == expected.length && Arrays.equals(b, from, to, expected, 0, expected.length);
        }

        private int value(int i, int depth) {
            return switch (b[i]) {
                case '"' -> string(i);
                case '{' -> depth >= MAX_DEPTH ? -1 : object(i, depth + 1);
                case '[' -> depth >= MAX_DEPTH ? -1 : array(i, depth + 1);
                case 't' -> literal(i, "true");
                case 'f' -> literal(i, "false");
                case 'n' -> literal(i, "null");
                default -> integer(i);
            };
        }

        private int object(int i, int depth) {
            i++;
            if (b[i] == '}') {
                return i + 1;
            }
            while (true) {
                i = string(i);
                if (i < 0 || b[i] != ':') {
                    return -1;
                }
                i = value(i + 1, depth);
                if (i < 0) {
                    return -1;
                }
                if (b[i] == '}') {
                    return i + 1;
                }
                if (b[i] != ',') {
                    return -1;
                }
                i++;
            }
        }

        private int array(int i, int depth) {
            i++;
            if (b[i] == ']') {
                return i + 1;
            }
            while (true) {
                i = value(i, depth);
                if (i < 0) {
                    return -1;
                }
                if (b[i] == ']') {
                    return i + 1;
                }
                if (b[i] != ',') {
                    return -1;
                }
                i++;
            }
        }

        /** A string in the form Jackson writes: only the escapes it uses, no raw control characters. */
        private int string(int i) {
            if (b[i] != '"') {
                return -1;
            }
            i++;
            while (true) {
                byte c = b[i];
                if (PLAIN[c & 0xFF]) {
                    i++;
                    continue;
                }
                if (c == '"') {
                    return i + 1;
                }
                if (c != '\\') {
                    return -1;
                }
                switch (b[i + 1]) {
                    case '"', '\\', 'b', 't', 'n', 'f', 'r' -> i += 2;
                    case 'u' -> {
                        if (!controlEscape(i + 2)) {
                            return -1;
                        }
                        i += 6;
                    }
                    default -> {
                        return -1;
                    }
                }
            }
        }

        /** Jackson escapes as \\u00XX (upper-case hex) only the control characters without a short escape. */
        private boolean controlEscape(int i) {
            if (b[i] != '0' || b[i + 1] != '0' || (b[i + 2] != '0' && b[i + 2] != '1')) {
                return false;
            }
            int low = Character.digit(b[i + 3], 16);
            if (low < 0 || (b[i + 3] >= 'a' && b[i + 3] <= 'f')) {
                return false;
            }
            int code = (b[i + 2] - '0') * 16 + low;
            return code != '\b' && code != '\t' && code != '\n' && code != '\f' && code != '\r';
        }

        private int literal(int i, String word) {
            for (int k = 0; k < word.length(); k++) {
                if (b[i + k] != word.charAt(k)) {
                    return -1;
                }
            }
            return i + word.length();
        }

        /**
         * An integer as Jackson writes it (no '+', no leading zeros, no "-0"); a float is left to the decoder, since
         * its text after a round trip depends on the writer's double formatting.
         */
        private int integer(int i) {
            int start = i;
            if (b[i] == '-') {
                i++;
            }
            int digits = i;
            while (b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == digits || (b[digits] == '0' && (i - digits > 1 || digits > start))) {
                return -1;
            }
            if (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                return -1;
            }
            return i;
        }
    }
}
