package io.kube4j.apiserver.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A backend's HTTP/1.1 response head, parsed, with its exact bytes for passing it on unchanged. */
record ResponseHead(int status, List<BackendRequest.Header> headers, byte[] raw) {

    static ResponseHead parse(byte[] raw) {
        String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("not an HTTP/1.x response: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad status line: " + lines[0]);
        }
        List<BackendRequest.Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new BackendRequest.Header(lines[i].substring(0, colon).trim(),
                        lines[i].substring(colon + 1).trim()));
            }
        }
        return new ResponseHead(status, List.copyOf(headers), raw);
    }

    /** The first value of a header, or null; names compare case-insensitively. */
    String header(String name) {
        for (BackendRequest.Header h : headers) {
            if (h.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return h.value();
            }
        }
        return null;
    }
}
