package io.kube4j.apiserver.authn;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The credentials of one request: a header lookup (any case) and the client certificate chain the TLS layer
 * verified (leaf first; empty without one).
 */
public record AuthenticationRequest(Function<String, String> headers, List<X509Certificate> clientCertificates) {

    public AuthenticationRequest {
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    public String header(String name) {
        return headers.apply(name.toLowerCase(Locale.ROOT));
    }

    /** The bearer token of the Authorization header, or null when there is none. */
    public String bearerToken() {
        String authorization = header("authorization");
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
