package io.kube4j.runtime.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resize messages: JSON objects {"Width":W,"Height":H}, one per WebSocket message, or a stream of
 * them on a SPDY resize stream (split across data frames at any byte).
 */
final class TerminalSize {
    private static final Pattern WIDTH = Pattern.compile("\"[Ww]idth\"\\s*:\\s*(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("\"[Hh]eight\"\\s*:\\s*(\\d+)");

    private final StringBuilder pending = new StringBuilder();

    record Size(int width, int height) {
    }

    /** Feeds bytes and returns every complete size seen so far. */
    List<Size> feed(String text) {
        pending.append(text);
        List<Size> sizes = new ArrayList<>();
        int end;
        while ((end = pending.indexOf("}")) >= 0) {
            Size size = parse(pending.substring(0, end + 1));
            pending.delete(0, end + 1);
            if (size != null) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    static Size parse(String json) {
        Matcher width = WIDTH.matcher(json);
        Matcher height = HEIGHT.matcher(json);
        if (!width.find() || !height.find()) {
            return null;
        }
        return new Size(Integer.parseInt(width.group(1)), Integer.parseInt(height.group(1)));
    }
}
