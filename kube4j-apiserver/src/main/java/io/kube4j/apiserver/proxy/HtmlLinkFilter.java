package io.kube4j.apiserver.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Upstream's proxy transport HTML rewriting, as a stream: the URL-valued attributes of the tags upstream lists
 * ({@code a href}, {@code img src}, {@code form action}, ...) go through the link rewriter on their way to the
 * client; every other byte passes unchanged. Comments, declarations and the text of raw-text elements
 * ({@code script}, {@code style}, ...) are not looked into, as an HTML tokenizer would not. Bytes are handled as
 * they come: only an unfinished tag or comment waits for the next write, so a page streams as it did.
 * <p>
 * Unlike upstream, which re-serialises every start tag, a tag keeps its own spelling and only the rewritten
 * values change; values are rewritten as written, without decoding character references first.
 */
final class HtmlLinkFilter extends OutputStream {

    /** Upstream's atomsToAttrs: which attributes of which elements hold URLs. */
    private static final Map<String, Set<String>> URL_ATTRIBUTES = Map.ofEntries(
            Map.entry("a", Set.of("href")),
            Map.entry("applet", Set.of("codebase")),
            Map.entry("area", Set.of("href")),
            Map.entry("audio", Set.of("src")),
            Map.entry("base", Set.of("href")),
            Map.entry("blockquote", Set.of("cite")),
            Map.entry("body", Set.of("background")),
            Map.entry("button", Set.of("formaction")),
            Map.entry("command", Set.of("icon")),
            Map.entry("del", Set.of("cite")),
            Map.entry("embed", Set.of("src")),
            Map.entry("form", Set.of("action")),
            Map.entry("frame", Set.of("longdesc", "src")),
            Map.entry("head", Set.of("profile")),
            Map.entry("html", Set.of("manifest")),
            Map.entry("iframe", Set.of("longdesc", "src")),
            Map.entry("img", Set.of("longdesc", "src", "usemap")),
            Map.entry("input", Set.of("src", "usemap", "formaction")),
            Map.entry("ins", Set.of("cite")),
            Map.entry("link", Set.of("href")),
            Map.entry("object", Set.of("classid", "codebase", "data", "usemap")),
            Map.entry("q", Set.of("cite")),
            Map.entry("script", Set.of("src")),
            Map.entry("source", Set.of("src")),
            Map.entry("video", Set.of("poster", "src")));
    /** Elements whose content is text up to their end tag (the HTML tokenizer's raw-text and RCDATA elements). */
    private static final Set<String> RAW_TEXT = Set.of("iframe", "noembed", "noframes", "noscript", "plaintext",
            "script", "style", "textarea", "title", "xmp");
    /** An unfinished tag or comment longer than this is passed on as it is rather than held without bound. */
    private static final int MAX_HELD_BYTES = 64 * 1024;

    private final OutputStream out;
    private final UnaryOperator<String> links;
    private byte[] held = new byte[8 * 1024];
    private int length;
    /** The element whose raw text is being passed, lower case; null outside raw text. */
    private String rawTextOf;

    HtmlLinkFilter(OutputStream out, UnaryOperator<String> links) {
        this.out = out;
        this.links = links;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
        if (length + count > held.length) {
            held = Arrays.copyOf(held, Math.max(held.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, held, length, count);
        length += count;
        pass(false);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        pass(true);
        out.close();
    }

    /** Sends on everything complete; keeps an unfinished token unless this is the end of the body. */
    private void pass(boolean last) throws IOException {
        int at = 0;
        while (at < length) {
            int next = rawTextOf != null ? rawText(at) : markup(at);
            if (next < 0) {
                break;
            }
            at = next;
        }
        if (at < length && (last || length - at > MAX_HELD_BYTES)) {
            out.write(held, at, length - at);
            at = length;
        }
        System.arraycopy(held, at, held, 0, length - at);
        length -= at;
    }

    /** Passes raw text up to its element's end tag; returns where it stopped, or -1 to wait for more. */
    private int rawText(int at) throws IOException {
        String end = "</" + rawTextOf;
        int found = indexOfIgnoreCase(end, at);
        if (found < 0) {
            // what cannot be the start of the end tag goes on now
            int safe = Math.max(at, length - end.length() + 1);
            out.write(held, at, safe - at);
            return safe == at ? -1 : safe;
        }
        out.write(held, at, found - at);
        rawTextOf = null;
        return found;
    }

    /** Passes text, or one whole tag, comment or declaration; returns where it stopped, or -1 to wait for more. */
    private int markup(int at) throws IOException {
        if (held[at] != '<') {
            int lt = indexOf((byte) '<', at);
            int end = lt < 0 ? length : lt;
            out.write(held, at, end - at);
            return end;
        }
        if (at + 1 >= length) {
            return -1;
        }
        byte kind = held[at + 1];
        int end;
        if (kind == '!') {
            if (at + 4 > length) {
                return -1;
            }
            boolean comment = held[at + 2] == '-' && held[at + 3] == '-';
            end = comment ? indexOf("-->", at + 4) : indexOf((byte) '>', at + 2);
            if (end < 0) {
                return -1;
            }
            end += comment ? 3 : 1;
        } else if (kind == '?' || kind == '/') {
            end = indexOf((byte) '>', at + 2);
            if (end < 0) {
                return -1;
            }
            end++;
        } else if (isLetter(kind)) {
            return startTag(at);
        } else {
            // a '<' that starts nothing is text
            end = at + 1;
        }
        out.write(held, at, end - at);
        return end;
    }

    /** A start tag: its URL attributes rewritten. Returns where it ended, or -1 if it has not yet. */
    private int startTag(int at) throws IOException {
        int i = at + 1;
        while (i < length && !isSpace(held[i]) && held[i] != '/' && held[i] != '>') {
            i++;
        }
        String name = ascii(at + 1, i).toLowerCase(Locale.ROOT);
        Set<String> urlAttributes = URL_ATTRIBUTES.getOrDefault(name, Set.of());
        StringBuilder rewritten = null;
        int copiedTo = at;
        boolean selfClosing = false;
        while (true) {
            while (i < length && (isSpace(held[i]) || held[i] == '/')) {
                selfClosing = held[i] == '/';
                i++;
            }
            if (i >= length) {
                return -1;
            }
            if (held[i] == '>') {
                i++;
                break;
            }
            selfClosing = false;
            int nameStart = i;
            while (i < length && !isSpace(held[i]) && held[i] != '=' && held[i] != '>' && held[i] != '/') {
                i++;
            }
            String attribute = ascii(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < length && isSpace(held[i])) {
                i++;
            }
            if (i >= length) {
                return -1;
            }
            if (held[i] != '=') {
                continue;
            }
            i++;
            while (i < length && isSpace(held[i])) {
                i++;
            }
            if (i >= length) {
                return -1;
            }
            int valueStart;
            int valueEnd;
            if (held[i] == '"' || held[i] == '\'') {
                valueStart = i + 1;
                valueEnd = indexOf(held[i], valueStart);
                if (valueEnd < 0) {
                    return -1;
                }
                i = valueEnd + 1;
            } else {
                valueStart = i;
                while (i < length && !isSpace(held[i]) && held[i] != '>') {
                    i++;
                }
                if (i >= length) {
                    return -1;
                }
                valueEnd = i;
            }
            if (urlAttributes.contains(attribute)) {
                String value = ascii(valueStart, valueEnd);
                String link = links.apply(value);
                if (!link.equals(value)) {
                    if (rewritten == null) {
                        rewritten = new StringBuilder();
                    }
                    rewritten.append(ascii(copiedTo, valueStart)).append(link);
                    copiedTo = valueEnd;
                }
            }
        }
        if (rewritten == null) {
            out.write(held, at, i - at);
        } else {
            rewritten.append(ascii(copiedTo, i));
            out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        if (RAW_TEXT.contains(name) && !selfClosing) {
            rawTextOf = name;
        }
        return i;
    }

    /** Bytes as ISO-8859-1 characters: one char per byte, so UTF-8 text passes through unchanged. */
    private String ascii(int from, int to) {
        return new String(held, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < length; i++) {
            if (held[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(String s, int from) {
        return indexOf(s, from, false);
    }

    private int indexOfIgnoreCase(String s, int from) {
        return indexOf(s, from, true);
    }

    private int indexOf(String s, int from, boolean ignoreCase) {
        outer:
        for (int i = from; i + s.length() <= length; i++) {
            for (int k = 0; k < s.length(); k++) {
                int c = held[i + k];
                if (ignoreCase && c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != s.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean isLetter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
    }
}
