package io.kube4j.apiserver.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request the API server sends to a backend (the kubelet) for a protocol switch: the target and the exact
 * header lines, repeated names allowed.
 *
 * @param pathAndQuery the raw (already encoded) path and query, e.g. {@code /exec/ns/pod/c?command=sh&stdin=1}
 * @param headers      name and value pairs, in order; Host is added from the target
 */
public record BackendRequest(String method, String host, int port, String pathAndQuery, List<Header> headers) {

    public record Header(String name, String value) {
    }

    public BackendRequest {
        headers = List.copyOf(headers);
    }

    /** The request head as it goes on the wire. */
    byte[] head() {
        StringBuilder head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append("\r\n");
        for (Header h : headers) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
