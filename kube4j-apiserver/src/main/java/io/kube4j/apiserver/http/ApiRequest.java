package io.kube4j.apiserver.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request, free of the transport: method, decoded path, query parameters, headers (names lower
 * case, repeated headers joined with a comma) and the whole body.
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body) {

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
