package io.kube4j.apiserver.authz;

/**
 * A request no authorizer allowed while one of them could not evaluate it (a store read failed, say): upstream's
 * authorization filter answers that with {@code responsewriters.InternalError} - a plain-text 500, not a Status -
 * rather than a 403 that would blame the user's permissions.
 */
public final class AuthorizationFailed extends RuntimeException {

    private final String requestUri;
    private final String error;

    public AuthorizationFailed(String requestUri, String error) {
        super(error);
        this.requestUri = requestUri;
        this.error = error;
    }

    /** The body upstream writes: {@code Internal Server Error: "<uri>": <error>}, HTML-escaped, with a newline. */
    public String plainText() {
        return sanitize("Internal Server Error: " + quote(requestUri) + ": " + error) + "\n";
    }

    /** Upstream's sanitizer, which keeps the text from being read as HTML. */
    private static String sanitize(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Go's %q of a request URI (no control characters reach here: the HTTP parser refuses them). */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
