package io.kube4j.apiserver.crd.celrules;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' CEL URL library: {@code url(s)} (an absolute URI or an absolute path, else an error), {@code isURL(s)},
 * and the getters {@code getScheme()}, {@code getHost()}, {@code getHostname()}, {@code getPort()},
 * {@code getEscapedPath()} and {@code getQuery()}.
 */
final class UrlLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");

    /** A parsed URL value; the CEL runtime carries it as an opaque object. */
    record Url(URI uri) {
    }

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("url",
                        CelOverloadDecl.newGlobalOverload("string_to_url", URL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isURL",
                        CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
                getter("getScheme", SimpleType.STRING), getter("getHost", SimpleType.STRING),
                getter("getHostname", SimpleType.STRING), getter("getPort", SimpleType.STRING),
                getter("getEscapedPath", SimpleType.STRING),
                getter("getQuery", MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING))));
    }

    private static CelFunctionDecl getter(String name, dev.cel.common.types.CelType result) {
        return CelFunctionDecl.newFunctionDeclaration(name, CelOverloadDecl.newMemberOverload("url_" + name, result,
                URL));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("string_to_url", String.class, UrlLibrary::parse),
                CelFunctionBinding.from("is_url_string", String.class, s -> parseOrNull(s) != null),
                CelFunctionBinding.from("url_getScheme", Url.class, u -> nonNull(u.uri().getScheme())),
                CelFunctionBinding.from("url_getHost", Url.class, u -> nonNull(u.uri().getRawAuthority() == null ? null
                        : u.uri().getRawAuthority().replaceFirst("^[^@]*@", ""))),
                CelFunctionBinding.from("url_getHostname", Url.class, u -> hostname(u.uri())),
                CelFunctionBinding.from("url_getPort", Url.class, u -> u.uri().getPort() < 0 ? ""
                        : Integer.toString(u.uri().getPort())),
                CelFunctionBinding.from("url_getEscapedPath", Url.class, u -> nonNull(u.uri().getRawPath())),
                CelFunctionBinding.from("url_getQuery", Url.class, u -> query(u.uri().getRawQuery())));
    }

    private static Url parse(String s) throws CelEvaluationException {
        Url url = parseOrNull(s);
        if (url == null) {
            throw new CelEvaluationException("URL parse error during conversion from string: " + s);
        }
        return url;
    }

    private static Url parseOrNull(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() || s.startsWith("/") ? new Url(uri) : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** The host without the port; an IPv6 literal without its brackets, as Go's URL.Hostname(). */
    private static String hostname(URI uri) {
        String host = nonNull(uri.getHost());
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }
}
