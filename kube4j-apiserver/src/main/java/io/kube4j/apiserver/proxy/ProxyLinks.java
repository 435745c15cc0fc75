package io.kube4j.apiserver.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Upstream's proxy transport rewriteURL: a link the backend hands out (a redirect's Location, an {@code href} in its
 * HTML) that points at an absolute path on the backend itself is put under the proxy path, so that a browser
 * following it stays behind the proxy. Links to other hosts and relative links are left alone. A link on the
 * backend's own host loses that host (the client cannot reach it); one on the host the client asked (its Host
 * header) keeps it, as upstream's transport has no scheme and host of its own to put there.
 */
final class ProxyLinks {

    private final String proxyPrefix;
    private final String backendHost;
    private final String requestHost;

    /**
     * @param proxyPrefix the client's path up to and including {@code /proxy}
     * @param backendHost the backend's {@code host[:port]} as dialled
     * @param requestHost the client's Host header, or null
     */
    ProxyLinks(String proxyPrefix, String backendHost, String requestHost) {
        this.proxyPrefix = proxyPrefix;
        this.backendHost = backendHost;
        this.requestHost = requestHost == null ? "" : requestHost;
    }

    /** The link as the client should see it; unchanged when it does not parse. */
    String rewrite(String link) {
        URI uri;
        try {
            uri = new URI(link);
        } catch (URISyntaxException e) {
            return link;
        }
        String host = host(uri);
        String path = uri.getRawPath();
        boolean otherHost = !host.isEmpty() && !host.equals(backendHost) && !host.equals(requestHost);
        if (otherHost || path == null || !path.startsWith("/")) {
            return link;
        }
        // upstream keeps scheme and host only when they are the client's own
        String origin = !host.equals(requestHost) ? ""
                : (uri.getScheme() == null ? "" : uri.getScheme() + ":")
                + (uri.getRawAuthority() == null ? "" : "//" + uri.getRawAuthority());
        String suffix = (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
        if (path.startsWith(proxyPrefix)) {
            return origin + path + suffix;
        }
        // upstream joins the two with path.Join, which also cleans the result, and keeps a trailing slash
        String joined = clean(proxyPrefix + "/" + path);
        if (path.endsWith("/") && !joined.endsWith("/")) {
            joined += "/";
        }
        return origin + joined + suffix;
    }

    /** Go's url.URL.Host: the authority without its user information. */
    private static String host(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return "";
        }
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : authority.substring(at + 1);
    }

    /** Go's path.Clean for an absolute path: no empty or {@code .} segments, {@code ..} taken back, no trailing slash. */
    static String clean(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }
}
