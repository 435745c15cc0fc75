package io.kube4j.apiserver.endpoints;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/namespaces/{ns}/pods|services/{id}/proxy[/{path}]}, taken apart: what the pod and service proxies
 * need from the client's (decoded) path.
 *
 * @param prefix the client's path up to and including {@code /proxy}
 * @param rest   the backend path: empty for the bare proxy path, else starting with a slash (a trailing one kept)
 */
record ProxyPath(String namespace, String resource, String id, String prefix, String rest) {

    private static final Pattern PATH = Pattern.compile("^(/api/v1/namespaces/([^/]+)/(pods|services)/([^/]+)/proxy)(/.*)?$");

    /** The parts of a pod or service proxy path, or null for any other path. */
    static ProxyPath of(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        return new ProxyPath(m.group(2), m.group(3), m.group(4), m.group(1), m.group(5) == null ? "" : m.group(5));
    }
}
