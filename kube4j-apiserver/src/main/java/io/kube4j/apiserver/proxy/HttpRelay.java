package io.kube4j.apiserver.proxy;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The plain-HTTP half of upstream's upgrade-aware proxy, shared by {@code nodes/proxy}, {@code pods/proxy} and
 * {@code services/proxy}: the client's request goes to the backend with its method, path, query, headers and body,
 * and the backend's status, headers and body come back, the body streamed as it arrives. As upstream's proxy
 * transport it redirects a GET of the bare {@code .../proxy} to {@code .../proxy/}, sets {@code X-Forwarded-Uri} and
 * {@code X-Forwarded-For}, rewrites a redirect's {@code Location} on the backend's own host to the proxy path, and
 * drops the backend's CORS headers. Unlike upstream it does not rewrite links inside {@code text/html} bodies.
 */
public final class HttpRelay {

    /** How long the backend may take to send its response head; the body then streams for as long as it lasts. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final int CHUNK_BYTES = 64 * 1024;
    /** Connection-level headers (RFC 9110 section 7.6.1) and those the JDK client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");
    /**
     * Request headers that stay here: the API server's credentials (upstream's authentication and impersonation
     * filters remove them before any handler runs), and Accept-Encoding, so that the backend answers uncompressed
     * and the server's own gzip is the only one on the answer.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "accept-encoding", "x-forwarded-for",
            "x-forwarded-uri");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** Upstream's proxyMethods, the same for nodes, pods and services. */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final HttpClient http;

    public HttpRelay(HttpClient http) {
        this.http = http;
    }

    /** A 405 for a method no proxy relays (CONNECT, TRACE, ...). */
    public static void checkMethod(ApiRequest request, String subresource) {
        if (!METHODS.contains(request.method())) {
            throw StatusException.methodNotAllowed("", subresource, request.method());
        }
    }

    /**
     * Relays {@code request} to {@code scheme://authority} at {@code backendPath} (decoded; empty when the client
     * named the bare proxy path).
     *
     * @param proxyPrefix the client's path up to and including {@code /proxy}, which a backend redirect is put under
     */
    public void relay(ApiRequest request, ResponseSink sink, String scheme, String authority, String backendPath,
                      String proxyPrefix) {
        String query = query(request);
        if (backendPath.isEmpty() && (request.method().equals("GET") || request.method().equals("HEAD"))) {
            // upstream's answer to issue 4958: relative links on the backend's root page need the trailing slash
            sink.send(301, null, new byte[0], Map.of("Location", proxyPrefix + "/" + query));
            return;
        }
        URI target = target(scheme, authority, backendPath.isEmpty() ? "/" : backendPath, query);
        HttpResponse<InputStream> response;
        try {
            // upstream's X-Forwarded-Uri: the client's path, escaped
            String forwardedUri = proxyPrefix + (backendPath.isEmpty() ? "" : target.getRawPath());
            response = http.send(backendRequest(request, target, forwardedUri),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw StatusException.serviceUnavailable("error trying to reach service: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StatusException.serviceUnavailable("interrupted");
        }
        Map<String, String> headers = responseHeaders(response, proxyPrefix, target);
        String contentType = headers.remove("content-type");
        try (InputStream in = response.body()) {
            ResponseSink.BodyWriter body = sink.body(response.statusCode(), contentType, headers);
            try {
                // what has arrived goes on (a copy: the writer keeps what it is given), not a full buffer's worth
                byte[] buffer = new byte[CHUNK_BYTES];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (n > 0) {
                        body.write(java.util.Arrays.copyOf(buffer, n));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the status is out already: break the response so the client cannot take a short body as whole
                body.abort();
                return;
            }
            body.close();
        } catch (IOException e) {
            // closing the backend's stream failed after the answer was complete: nothing left to tell the client
        }
    }

    private static URI target(String scheme, String authority, String path, String query) {
        try {
            // the multi-part constructor quotes what the decoded path needs quoted; the query is encoded already
            URI base = new URI(scheme, authority, path, null, null);
            return URI.create(base.toASCIIString() + query);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw StatusException.badRequest("invalid proxy path " + path + ": " + e.getMessage());
        }
    }

    private static HttpRequest backendRequest(ApiRequest request, URI target, String forwardedUri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(ANSWER_TIMEOUT);
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !NOT_FORWARDED.contains(lower) && !lower.startsWith("impersonate-")
                    && !lower.startsWith(":")) {
                try {
                    builder.header(name, value);
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client sets itself or refuses (Date, Via on some versions): not passed on
                }
            }
        });
        builder.header("X-Forwarded-Uri", forwardedUri);
        if (!request.remoteAddress().isEmpty()) {
            String earlier = request.header("x-forwarded-for");
            builder.header("X-Forwarded-For", earlier == null ? request.remoteAddress()
                    : earlier + ", " + request.remoteAddress());
        }
        byte[] body = request.body();
        HttpRequest.BodyPublisher publisher = body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return builder.method(request.method(), publisher).build();
    }

    /** The backend's headers a client may see, names lower case, repeated ones joined as HTTP allows. */
    private static Map<String, String> responseHeaders(HttpResponse<?> response, String proxyPrefix, URI target) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":") && !lower.startsWith("access-control-")
                    && !values.isEmpty()) {
                headers.put(lower, String.join(", ", values));
            }
        });
        String location = headers.get("location");
        if (location != null && REDIRECTS.contains(response.statusCode())) {
            headers.put("location", rewriteLocation(location, proxyPrefix, target));
        }
        return headers;
    }

    /**
     * Upstream's rewriteURL: a redirect to an absolute path on the backend itself is put under the proxy path, so a
     * browser that follows it stays behind the proxy; other hosts and relative references are left alone.
     */
    static String rewriteLocation(String location, String proxyPrefix, URI backend) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return location;
        }
        String authority = uri.getRawAuthority();
        boolean otherHost = authority != null && !authority.equals(backend.getRawAuthority());
        String path = uri.getRawPath();
        if (otherHost || path == null || !path.startsWith("/")) {
            return location;
        }
        if (path.startsWith(proxyPrefix)) {
            return uri.getRawAuthority() == null ? location : path + suffix(uri);
        }
        return proxyPrefix + path + suffix(uri);
    }

    private static String suffix(URI uri) {
        return (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }

    /** The client's query, encoded again: the request carries it decoded. */
    private static String query(ApiRequest request) {
        StringBuilder q = new StringBuilder();
        request.query().forEach((key, values) -> {
            for (String value : values) {
                q.append(q.isEmpty() ? '?' : '&').append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException && (message == null || message.isEmpty())) {
            return "connection refused";
        }
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
