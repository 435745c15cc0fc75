package io.kube4j.apiserver.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request, free of the transport: method, decoded path, query parameters, headers (names lower
 * case, repeated headers joined with a comma), the whole body, and the client certificate chain the TLS layer
 * verified (leaf first; empty over plain HTTP or without one), and the client's IP address ("" when unknown).
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body, List<X509Certificate> clientCertificates, String remoteAddress) {

    public ApiRequest {
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
    }

    public ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                      byte[] body) {
        this(method, path, query, headers, body, List.of(), "");
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean hasParam(String name) {
        return query.containsKey(name);
    }

    public boolean booleanParam(String name) {
        String value = param(name);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }
}
