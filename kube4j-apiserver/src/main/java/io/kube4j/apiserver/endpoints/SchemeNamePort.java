package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;

/**
 * The name a proxy request gives its pod or service, as upstream's {@code SplitSchemeNamePort}: {@code name},
 * {@code name:port} or {@code scheme:name:port}, the scheme {@code http}, {@code https} or empty, the name not empty.
 * The port is a number or a port name, empty when not given.
 */
record SchemeNamePort(String scheme, String name, String port) {

    /** Parses {@code id}; a malformed one is answered with upstream's 400 {@code invalid <kind> request "<id>"}. */
    static SchemeNamePort parse(String id, String kind) {
        String[] parts = id.split(":", -1);
        SchemeNamePort parsed = switch (parts.length) {
            case 1 -> new SchemeNamePort("", parts[0], "");
            case 2 -> new SchemeNamePort("", parts[0], parts[1]);
            case 3 -> new SchemeNamePort(parts[0], parts[1], parts[2]);
            default -> null;
        };
        if (parsed == null || parsed.name.isEmpty()
                || !(parsed.scheme.isEmpty() || parsed.scheme.equals("http") || parsed.scheme.equals("https"))) {
            throw StatusException.badRequest("invalid " + kind + " request \"" + id + "\"");
        }
        return parsed;
    }

    /** The scheme to dial: plain HTTP unless the request asked for HTTPS. */
    String dialScheme() {
        return scheme.isEmpty() ? "http" : scheme;
    }
}
