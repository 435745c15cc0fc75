package io.kube4j.apiserver.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request the API server sends to a backend (the kubelet) for a protocol switch: the target, the exact header
 * lines, repeated names allowed, and the client's request body, which goes to the backend before any byte of the
 * switched protocol, as upstream's upgrade-aware proxy writes the whole request to the backend.
 *
 * @param pathAndQuery the raw (already encoded) path and query, e.g. {@code /exec/ns/pod/c?command=sh&stdin=1}
 * @param headers      name and value pairs, in order; Host is added from the target, and Content-Length from the
 *                     body, so neither may be among them
 * @param body         the request body, empty for none
 */
public record BackendRequest(String method, String host, int port, String pathAndQuery, List<Header> headers,
                             byte[] body) {

    public record Header(String name, String value) {
    }

    public BackendRequest {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A request without a body. */
    public BackendRequest(String method, String host, int port, String pathAndQuery, List<Header> headers) {
        this(method, host, port, pathAndQuery, headers, new byte[0]);
    }

    /** The request head as it goes on the wire; the body, if any, follows it. */
    byte[] head() {
        StringBuilder head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append("\r\n");
        for (Header h : headers) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (body.length > 0) {
            // the client's body arrived whole (aggregated), so its length is known whatever framing it came in
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
