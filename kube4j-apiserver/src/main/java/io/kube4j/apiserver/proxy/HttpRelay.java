package io.kube4j.apiserver.proxy;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.http.ResponseSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's upgrade-aware proxy, shared by {@code nodes/proxy}, {@code pods/proxy} and {@code services/proxy}.
 * A request asking for a protocol switch (a WebSocket) is passed to the backend through {@link UpgradeProxy}, and
 * once the backend switches, both connections are spliced. Any other request goes to the backend with its method,
 * path, query, headers and body, and the backend's status, header lines (each as sent: two Set-Cookie stay two) and
 * body come back, the body passed on as it arrives: whatever the backend has sent is flushed to the client as soon
 * as the backend pauses, so an event or log stream is not held back for a fuller chunk. As upstream's proxy
 * transport it redirects a GET of the bare {@code .../proxy} to {@code .../proxy/}, sets {@code X-Forwarded-Uri} and
 * {@code X-Forwarded-For}, puts a {@code Location} and the links of a {@code text/html} body that point at the
 * backend itself under the proxy path (see {@link ProxyLinks}, {@link HtmlLinkFilter}), and drops the backend's
 * CORS headers.
 */
public final class HttpRelay {

    /** How long the backend may take to send its response head; the body then streams for as long as it lasts. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** One read's worth from the backend; reused, since the client's writer copies what it is given. */
    private static final int READ_BYTES = 64 * 1024;
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
    /** What an upgrade request does not take to the backend; Connection and Upgrade themselves must go. */
    private static final Set<String> NOT_UPGRADED = Set.of("authorization", "x-forwarded-for", "x-forwarded-uri",
            "host", "content-length", "transfer-encoding", "expect", "keep-alive", "te", "trailer",
            "proxy-authorization", "proxy-connection");

    /** Upstream's proxyMethods, the same for nodes, pods and services. */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final HttpClient http;
    private final KubeletTransport tls;

    /**
     * @param http the client for plain requests
     * @param tls  how a protocol switch reaches an {@code https} target (plain {@code http} ones need nothing)
     */
    public HttpRelay(HttpClient http, KubeletTransport tls) {
        this.http = http;
        this.tls = tls;
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
        // upstream tries the upgrade first, before the bare path's redirect; HTTP/2 cannot switch, its
        // connection being shared: such a request is relayed as a plain one
        Optional<RawConnection> connection = UpgradeProxy.isUpgradeRequest(request) && !isH2cOnly(request)
                ? sink.rawConnection() : Optional.empty();
        if (connection.isPresent()) {
            upgrade(request, sink, connection.get(), target(scheme, authority,
                    backendPath.isEmpty() ? "/" : backendPath, query));
            return;
        }
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
        List<Map.Entry<String, String>> headers = responseHeaders(response);
        String contentType = response.headers().firstValue("content-type").orElse(null);
        ProxyLinks links = new ProxyLinks(proxyPrefix, target.getRawAuthority(), request.header("host"));
        // upstream rewrites a Location on any answer, and then leaves the body alone
        boolean relocated = headers.stream().anyMatch(h -> h.getKey().equals("location"));
        if (relocated) {
            headers.replaceAll(h -> h.getKey().equals("location") ? Map.entry("location", links.rewrite(h.getValue()))
                    : h);
        }
        String encoding = response.headers().firstValue("content-encoding").orElse("");
        boolean rewriteHtml = !relocated && isHtml(contentType) && ContentCoding.understands(encoding);
        InputStream backend = response.body();
        try (backend) {
            ResponseSink.BodyWriter body = sink.body(response.statusCode(), contentType, headers);
            // decoding, the HTML is read as the page itself (closing the decoder closes the backend's stream too)
            try (InputStream in = rewriteHtml ? ContentCoding.decoded(backend, encoding) : backend) {
                OutputStream client = new ClientStream(body);
                if (rewriteHtml) {
                    client = new HtmlLinkFilter(ContentCoding.encoded(client, encoding), links::rewrite);
                }
                // a body of known length whose last byte has come is about to end: no flush, so that a small one
                // still goes out whole, with its length
                long remaining = in == backend ? response.headers().firstValueAsLong("content-length").orElse(-1)
                        : -1;
                byte[] buffer = new byte[READ_BYTES];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    client.write(buffer, 0, n);
                    remaining -= remaining > 0 ? n : 0;
                    if (remaining != 0 && backend.available() == 0) {
                        // the backend has paused (or is about to end): what it sent so far goes to the client now
                        client.flush();
                    }
                }
                client.close();
            } catch (IOException | RuntimeException e) {
                // the status is out already: break the response so the client cannot take a short body as whole
                body.abort();
            }
        } catch (IOException e) {
            // closing the backend's stream failed after the answer was complete: nothing left to tell the client
        }
    }

    /**
     * Upstream's tryUpgrade: the request goes to the backend over a connection of its own; a 101 splices it to the
     * client's, an error status is passed back as the backend sent it, and anything else is a 500.
     */
    private void upgrade(ApiRequest request, ResponseSink sink, RawConnection connection, URI target) {
        List<BackendRequest.Header> headers = new ArrayList<>();
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_UPGRADED.contains(lower) && !lower.startsWith("impersonate-") && !lower.startsWith(":")) {
                headers.add(new BackendRequest.Header(name, value));
            }
        });
        if (!request.remoteAddress().isEmpty()) {
            String earlier = request.header("x-forwarded-for");
            headers.add(new BackendRequest.Header("X-Forwarded-For", earlier == null ? request.remoteAddress()
                    : earlier + ", " + request.remoteAddress()));
        }
        boolean secure = target.getScheme().equals("https");
        // the URI keeps an IPv6 literal in brackets, which the request head and the dialer add or do not want
        String host = target.getHost().startsWith("[") ? target.getHost().substring(1, target.getHost().length() - 1)
                : target.getHost();
        int port = target.getPort() >= 0 ? target.getPort() : secure ? 443 : 80;
        String pathAndQuery = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        BackendRequest backendRequest = new BackendRequest(request.method(), host, port, pathAndQuery, headers,
                request.body());
        ResponseHeadReader.Answer refused = UpgradeProxy.switchOrAnswer(backendRequest, connection,
                UpgradeProxy.SAME, "the backend " + target.getRawAuthority(), secure ? tls : KubeletTransport.PLAIN);
        if (refused == null) {
            return;
        }
        int status = refused.head().status();
        if (status < 400) {
            throw StatusException.internalError("invalid upgrade response: status code " + status);
        }
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        String contentType = null;
        for (BackendRequest.Header h : refused.head().headers()) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (lower.equals("content-type")) {
                contentType = contentType == null ? h.value() : contentType;
            } else if (!HOP_BY_HOP.contains(lower)) {
                lines.add(Map.entry(lower, h.value()));
            }
        }
        ResponseSink.BodyWriter body = sink.body(status, contentType, lines);
        body.write(refused.body());
        body.close();
    }

    /**
     * An upgrade to HTTP/2 over plain TCP (a JDK client's first request to an insecure server) is offered to this
     * server, which declined it by answering in HTTP/1.1 (RFC 9113 section 3.1 on h2c): it is not the backend's to
     * take. Upstream's TLS-only serving never sees one.
     */
    private static boolean isH2cOnly(ApiRequest request) {
        for (String protocol : request.header("upgrade").split(",")) {
            if (!protocol.trim().equalsIgnoreCase("h2c")) {
                return false;
            }
        }
        return true;
    }

    /** Upstream's check: the media type, parameters aside, is text/html. */
    private static boolean isHtml(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().equalsIgnoreCase("text/html");
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

    /** The backend's header lines a client may see, names lower case, each value its own line; Content-Type aside. */
    private static List<Map.Entry<String, String>> responseHeaders(HttpResponse<?> response) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":") && !lower.startsWith("access-control-")
                    && !lower.equals("content-type")) {
                values.forEach(value -> headers.add(Map.entry(lower, value)));
            }
        });
        return headers;
    }

    /** The writer of the client's body as a stream; flushing it sends what was written. */
    private static final class ClientStream extends OutputStream {
        private final ResponseSink.BodyWriter body;

        ClientStream(ResponseSink.BodyWriter body) {
            this.body = body;
        }

        @Override
        public void write(int b) {
            body.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            body.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            body.flush();
        }

        @Override
        public void close() {
            body.close();
        }
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
