package io.kube4j.apiserver.endpoints;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The syntax error Go's encoding/json reports for a body, in its words ({@code invalid character '}' after object
 * key}, {@code unexpected end of JSON input}): upstream's decoder reads every body with it first, and its message is
 * what clients see in a malformed body's Status. A byte-wise state machine with the states and messages of Go's
 * {@code encoding/json/scanner.go}; it only checks syntax.
 */
final class GoJsonSyntax {

    /** Go's maxNestingDepth. */
    private static final int MAX_DEPTH = 10000;

    private enum Parse { OBJECT_KEY, OBJECT_VALUE, ARRAY_VALUE }

    private enum State {
        BEGIN_VALUE_OR_EMPTY, BEGIN_VALUE, BEGIN_STRING_OR_EMPTY, BEGIN_STRING, END_VALUE, END_TOP,
        IN_STRING, IN_STRING_ESC, IN_STRING_ESC_U, IN_STRING_ESC_U1, IN_STRING_ESC_U12, IN_STRING_ESC_U123,
        NEG, ONE, ZERO, DOT, DOT0, E, E_SIGN, E0,
        T, TR, TRU, F, FA, FAL, FALS, N, NU, NUL
    }

    private final Deque<Parse> stack = new ArrayDeque<>();
    private State state = State.BEGIN_VALUE;
    private boolean endTop;
    private String error;

    private GoJsonSyntax() {
    }

    /** Go's message for the first syntax error of {@code data}, or null when it is valid JSON. */
    static String error(byte[] data) {
        GoJsonSyntax s = new GoJsonSyntax();
        for (byte b : data) {
            s.step(b & 0xff);
            if (s.error != null) {
                return s.error;
            }
        }
        if (s.endTop) {
            return null;
        }
        s.step(' ');
        if (s.error != null) {
            return s.error;
        }
        return s.endTop ? null : "unexpected end of JSON input";
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private void fail(int c, String context) {
        error = "invalid character " + quoteChar(c) + " " + context;
    }

    /** Go's quoteChar: the byte as strconv.Quote writes it, between single quotes. */
    static String quoteChar(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        String inner = switch (c) {
            case 0x07 -> "\\a";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x0b -> "\\v";
            case '\\' -> "\\\\";
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    yield String.format("\\x%02x", c);
                }
                // a byte above 0x7f is the rune U+0080..U+00FF to Go's string(byte): printable from U+00A1 on
                if (c >= 0x80 && (c < 0xa1 || c == 0xad)) {
                    yield String.format("\\u%04x", c);
                }
                yield String.valueOf((char) c);
            }
        };
        return "'" + inner + "'";
    }

    private void push(int c, Parse p) {
        stack.push(p);
        if (stack.size() > MAX_DEPTH) {
            fail(c, "exceeded max depth");
        }
    }

    private void step(int c) {
        switch (state) {
            case BEGIN_VALUE_OR_EMPTY -> {
                if (isSpace(c)) {
                    return;
                }
                if (c == ']') {
                    endValue(c);
                    return;
                }
                beginValue(c);
            }
            case BEGIN_VALUE -> beginValue(c);
            case BEGIN_STRING_OR_EMPTY -> {
                if (isSpace(c)) {
                    return;
                }
                if (c == '}') {
                    stack.pop();
                    stack.push(Parse.OBJECT_VALUE);
                    endValue(c);
                    return;
                }
                beginString(c);
            }
            case BEGIN_STRING -> beginString(c);
            case END_VALUE -> endValue(c);
            case END_TOP -> endTop(c);
            case IN_STRING -> {
                if (c == '"') {
                    state = State.END_VALUE;
                } else if (c == '\\') {
                    state = State.IN_STRING_ESC;
                } else if (c < 0x20) {
                    fail(c, "in string literal");
                }
            }
            case IN_STRING_ESC -> {
                switch (c) {
                    case 'b', 'f', 'n', 'r', 't', '\\', '/', '"' -> state = State.IN_STRING;
                    case 'u' -> state = State.IN_STRING_ESC_U;
                    default -> fail(c, "in string escape code");
                }
            }
            case IN_STRING_ESC_U -> hex(c, State.IN_STRING_ESC_U1);
            case IN_STRING_ESC_U1 -> hex(c, State.IN_STRING_ESC_U12);
            case IN_STRING_ESC_U12 -> hex(c, State.IN_STRING_ESC_U123);
            case IN_STRING_ESC_U123 -> hex(c, State.IN_STRING);
            case NEG -> {
                if (c == '0') {
                    state = State.ZERO;
                } else if (c >= '1' && c <= '9') {
                    state = State.ONE;
                } else {
                    fail(c, "in numeric literal");
                }
            }
            case ONE -> {
                if (!isDigit(c)) {
                    zero(c);
                }
            }
            case ZERO -> zero(c);
            case DOT -> {
                if (isDigit(c)) {
                    state = State.DOT0;
                } else {
                    fail(c, "after decimal point in numeric literal");
                }
            }
            case DOT0 -> {
                if (c == 'e' || c == 'E') {
                    state = State.E;
                } else if (!isDigit(c)) {
                    endValue(c);
                }
            }
            case E -> {
                if (c == '+' || c == '-') {
                    state = State.E_SIGN;
                } else {
                    eSign(c);
                }
            }
            case E_SIGN -> eSign(c);
            case E0 -> {
                if (!isDigit(c)) {
                    endValue(c);
                }
            }
            case T -> literal(c, 'r', State.TR, "in literal true (expecting 'r')");
            case TR -> literal(c, 'u', State.TRU, "in literal true (expecting 'u')");
            case TRU -> literal(c, 'e', State.END_VALUE, "in literal true (expecting 'e')");
            case F -> literal(c, 'a', State.FA, "in literal false (expecting 'a')");
            case FA -> literal(c, 'l', State.FAL, "in literal false (expecting 'l')");
            case FAL -> literal(c, 's', State.FALS, "in literal false (expecting 's')");
            case FALS -> literal(c, 'e', State.END_VALUE, "in literal false (expecting 'e')");
            case N -> literal(c, 'u', State.NU, "in literal null (expecting 'u')");
            case NU -> literal(c, 'l', State.NUL, "in literal null (expecting 'l')");
            case NUL -> literal(c, 'l', State.END_VALUE, "in literal null (expecting 'l')");
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void beginValue(int c) {
        if (isSpace(c)) {
            return;
        }
        switch (c) {
            case '{' -> {
                state = State.BEGIN_STRING_OR_EMPTY;
                push(c, Parse.OBJECT_KEY);
            }
            case '[' -> {
                state = State.BEGIN_VALUE_OR_EMPTY;
                push(c, Parse.ARRAY_VALUE);
            }
            case '"' -> state = State.IN_STRING;
            case '-' -> state = State.NEG;
            case '0' -> state = State.ZERO;
            case 't' -> state = State.T;
            case 'f' -> state = State.F;
            case 'n' -> state = State.N;
            default -> {
                if (c >= '1' && c <= '9') {
                    state = State.ONE;
                } else {
                    fail(c, "looking for beginning of value");
                }
            }
        }
    }

    private void beginString(int c) {
        if (isSpace(c)) {
            return;
        }
        if (c == '"') {
            state = State.IN_STRING;
        } else {
            fail(c, "looking for beginning of object key string");
        }
    }

    /** A '}' or ']' ended the innermost object or array: a value ends, the whole input's if it was the outermost. */
    private void closeComposite() {
        stack.pop();
        state = State.END_VALUE;
        if (stack.isEmpty()) {
            state = State.END_TOP;
            endTop = true;
        }
    }

    private void endValue(int c) {
        if (stack.isEmpty()) {
            state = State.END_TOP;
            endTop = true;
            endTop(c);
            return;
        }
        if (isSpace(c)) {
            state = State.END_VALUE;
            return;
        }
        switch (stack.peek()) {
            case OBJECT_KEY -> {
                if (c == ':') {
                    stack.pop();
                    stack.push(Parse.OBJECT_VALUE);
                    state = State.BEGIN_VALUE;
                } else {
                    fail(c, "after object key");
                }
            }
            case OBJECT_VALUE -> {
                if (c == ',') {
                    stack.pop();
                    stack.push(Parse.OBJECT_KEY);
                    state = State.BEGIN_STRING;
                } else if (c == '}') {
                    closeComposite();
                } else {
                    fail(c, "after object key:value pair");
                }
            }
            case ARRAY_VALUE -> {
                if (c == ',') {
                    state = State.BEGIN_VALUE;
                } else if (c == ']') {
                    closeComposite();
                } else {
                    fail(c, "after array element");
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private void endTop(int c) {
        if (!isSpace(c)) {
            fail(c, "after top-level value");
        }
    }

    private void zero(int c) {
        if (c == '.') {
            state = State.DOT;
        } else if (c == 'e' || c == 'E') {
            state = State.E;
        } else {
            endValue(c);
        }
    }

    private void eSign(int c) {
        if (isDigit(c)) {
            state = State.E0;
        } else {
            fail(c, "in exponent of numeric literal");
        }
    }

    private void hex(int c, State next) {
        if (isHex(c)) {
            state = next;
        } else {
            fail(c, "in \\u hexadecimal character escape");
        }
    }

    private void literal(int c, int expected, State next, String context) {
        if (c == expected) {
            state = next;
        } else {
            fail(c, context);
        }
    }
}
