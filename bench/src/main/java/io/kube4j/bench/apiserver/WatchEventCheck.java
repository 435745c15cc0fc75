package io.kube4j.bench.apiserver;

import java.nio.charset.StandardCharsets;

/**
 * Checks that one watch event is a complete JSON document of the form {@code {"type":..., "object":{"metadata":
 * {"name":..., "resourceVersion":...}}}} and returns which object of the burst it names, without building any tree:
 * one pass over the bytes that validates the structure (strings and escapes, balanced objects and arrays, nothing
 * after the end) and notes the three fields the count needs (type, name, resourceVersion). So a watcher can count a
 * thousand events a millisecond honestly: a cut, merged or foreign line is not counted as an event.
 *
 * <p>Not thread-safe; one instance per reading thread.
 */
final class WatchEventCheck {
    private static final byte[] TYPE = bytes("type");
    private static final byte[] OBJECT = bytes("object");
    private static final byte[] METADATA = bytes("metadata");
    private static final byte[] NAME = bytes("name");
    private static final byte[] RESOURCE_VERSION = bytes("resourceVersion");
    private static final byte[] ADDED = bytes("ADDED");
    private static final int MAX_DEPTH = 64;

    /** Where in the event the parser is: only these three objects hold fields the check reads. */
    private static final int TOP = 0;
    private static final int IN_OBJECT = 1;
    private static final int IN_METADATA = 2;
    private static final int ELSEWHERE = 3;

    private final byte[] namePrefix;
    private final int expected;

    private byte[] b;
    private int p;
    private int end;
    private int typeStart;
    private int typeEnd;
    private int nameStart;
    private int nameEnd;
    private int rvStart;
    private int rvEnd;
    private long resourceVersion;
    private boolean hasObject;
    private String problem;

    /** Events name objects {@code namePrefix + number}, number in [0, expected). */
    WatchEventCheck(String namePrefix, int expected) {
        this.namePrefix = bytes(namePrefix);
        this.expected = expected;
    }

    /**
     * The burst index the event names (its object is ADDED and named prefix + index), or -1 with
     * {@link #problem()} saying why not.
     */
    int check(byte[] buf, int off, int len) {
        b = buf;
        p = off;
        end = off + len;
        typeStart = typeEnd = nameStart = nameEnd = rvStart = rvEnd = -1;
        resourceVersion = -1;
        hasObject = false;
        problem = null;
        try {
            skipWhitespace();
            if (p >= end || b[p] != '{') {
                return fail("not a JSON object");
            }
            object(TOP, 0);
            skipWhitespace();
            if (p != end) {
                return fail("bytes after the end of the JSON document");
            }
        } catch (Malformed e) {
            return fail(e.getMessage());
        }
        if (typeStart < 0 || !hasObject) {
            return fail("no type or no object");
        }
        if (!equal(typeStart, typeEnd, ADDED)) {
            return fail("type " + text(typeStart, typeEnd) + ", not ADDED");
        }
        if (nameStart < 0) {
            return fail("no object.metadata.name");
        }
        if (rvStart < 0) {
            return fail("no object.metadata.resourceVersion");
        }
        resourceVersion = decimal(rvStart, rvEnd);
        if (resourceVersion < 0) {
            return fail("resourceVersion " + text(rvStart, rvEnd) + " is not a revision number");
        }
        return index();
    }

    /** The object's metadata.resourceVersion of the last event {@link #check} accepted (kube4j's are numbers). */
    long resourceVersion() {
        return resourceVersion;
    }

    /** The unsigned decimal number {@code b[from, to)}, or -1 if it is not one (or too long). */
    private long decimal(int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    /** Why the last {@link #check} returned -1. */
    String problem() {
        return problem;
    }

    private int index() {
        int len = nameEnd - nameStart;
        if (len <= namePrefix.length || !startsWith(nameStart, namePrefix)) {
            return fail("unexpected name " + text(nameStart, nameEnd));
        }
        int n = 0;
        for (int i = nameStart + namePrefix.length; i < nameEnd; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || n > 100_000_000) {
                return fail("unexpected name " + text(nameStart, nameEnd));
            }
            n = n * 10 + d;
        }
        return n < expected ? n : fail("name " + text(nameStart, nameEnd) + " outside the burst");
    }

    private void object(int where, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Malformed("nested deeper than " + MAX_DEPTH);
        }
        p++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            p++;
            return;
        }
        while (true) {
            if (peek() != '"') {
                throw new Malformed("expected a key at " + p);
            }
            int keyStart = p + 1;
            string();
            int keyEnd = p - 1;
            skipWhitespace();
            if (peek() != ':') {
                throw new Malformed("expected ':' at " + p);
            }
            p++;
            skipWhitespace();
            int child = ELSEWHERE;
            if (where == TOP && equal(keyStart, keyEnd, OBJECT)) {
                child = IN_OBJECT;
                hasObject = peek() == '{';
            } else if (where == IN_OBJECT && equal(keyStart, keyEnd, METADATA)) {
                child = IN_METADATA;
            }
            int valueStart = p;
            value(child, depth + 1);
            if (peekAt(valueStart) == '"') {
                if (where == TOP && equal(keyStart, keyEnd, TYPE)) {
                    typeStart = valueStart + 1;
                    typeEnd = p - 1;
                } else if (where == IN_METADATA && equal(keyStart, keyEnd, NAME)) {
                    nameStart = valueStart + 1;
                    nameEnd = p - 1;
                } else if (where == IN_METADATA && equal(keyStart, keyEnd, RESOURCE_VERSION)) {
                    rvStart = valueStart + 1;
                    rvEnd = p - 1;
                }
            }
            skipWhitespace();
            byte c = peek();
            p++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or '}' at " + (p - 1));
            }
            skipWhitespace();
        }
    }

    private void array(int depth) {
        if (depth > MAX_DEPTH) {
            throw new Malformed("nested deeper than " + MAX_DEPTH);
        }
        p++; // '['
        skipWhitespace();
        if (peek() == ']') {
            p++;
            return;
        }
        while (true) {
            value(ELSEWHERE, depth + 1);
            skipWhitespace();
            byte c = peek();
            p++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or ']' at " + (p - 1));
            }
            skipWhitespace();
        }
    }

    private void value(int where, int depth) {
        byte c = peek();
        switch (c) {
            case '{' -> object(where, depth);
            case '[' -> array(depth);
            case '"' -> string();
            default -> literal();
        }
    }

    /** A string from its opening quote; leaves p after the closing one. */
    private void string() {
        p++;
        while (p < end) {
            byte c = b[p++];
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                p++;
            } else if (c >= 0 && c < 0x20) {
                throw new Malformed("control character in a string at " + (p - 1));
            }
        }
        throw new Malformed("unterminated string");
    }

    /** true, false, null or a number: the characters they are made of, at least one. */
    private void literal() {
        int start = p;
        while (p < end) {
            byte c = b[p];
            boolean part = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' || c == '.'
                    || c == 'E';
            if (!part) {
                break;
            }
            p++;
        }
        if (p == start) {
            throw new Malformed(p < end ? "unexpected '" + (char) b[p] + "' at " + p : "truncated");
        }
    }

    private byte peek() {
        if (p >= end) {
            throw new Malformed("truncated");
        }
        return b[p];
    }

    private byte peekAt(int i) {
        return i < end ? b[i] : 0;
    }

    private void skipWhitespace() {
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r')) {
            p++;
        }
    }

    private boolean equal(int from, int to, byte[] word) {
        return to - from == word.length && startsWith(from, word);
    }

    private boolean startsWith(int from, byte[] word) {
        if (end - from < word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[from + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private String text(int from, int to) {
        return new String(b, from, Math.min(to - from, 80), StandardCharsets.UTF_8);
    }

    private int fail(String why) {
        problem = why;
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A structural error; carries no stack trace since a bad line is an expected outcome, not a bug here. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
