package io.kube4j.runtime.image;

import io.kube4j.runtime.util.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Registry mirrors, credentials and TLS settings, in k3s's registries.yaml shape:
 * <pre>
 * mirrors:
 *   docker.io:
 *     endpoint: ["http://127.0.0.1:5000"]
 *     rewrite: {"^library/(.*)": "mirrored/$1"}
 * configs:
 *   "127.0.0.1:5000":
 *     auth: {username: u, password: p}
 *     tls: {ca_file: /etc/ca.pem, cert_file: client.pem, key_file: client-key.pem, insecure_skip_verify: false}
 * </pre>
 * A mirror list under {@code "*"} applies to every registry without its own entry.
 */
public final class RegistryConfig {
    /** TLS settings for one registry host; certFile and keyFile are a client certificate, for registries that ask for one. */
    public record Tls(Path caFile, Path certFile, Path keyFile, boolean insecureSkipVerify) {
    }

    /**
     * Where to reach a registry and how to log in.
     *
     * @param rewrites repository rewrites (regex to replacement), applied only on mirrors as k3s does
     */
    public record Endpoint(String baseUrl, String host, String username, String password, Tls tls,
                           Map<Pattern, String> rewrites) {
        /** The repository path to ask this endpoint for: the first matching rewrite wins. */
        public String repositoryPath(String path) {
            for (Map.Entry<Pattern, String> rewrite : rewrites.entrySet()) {
                Matcher m = rewrite.getKey().matcher(path);
                if (m.find()) {
                    return m.replaceFirst(rewrite.getValue());
                }
            }
            return path;
        }
    }

    private final JsonNode root;
    private final String source;

    private RegistryConfig(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    public static RegistryConfig empty() {
        return new RegistryConfig(Json.object(), "(none)");
    }

    public static RegistryConfig load(Path file) {
        if (file == null || !Files.exists(file)) {
            return empty();
        }
        JsonNode node;
        try {
            node = new YAMLMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot read registry config " + file + ": " + e.getMessage(), e);
        }
        RegistryConfig config = new RegistryConfig(node == null || node.isMissingNode() ? Json.object() : node,
                file.toString());
        config.validate();
        return config;
    }

    /** Bad rewrites and missing CA files are reported at start, not at the first pull. */
    private void validate() {
        for (Map.Entry<String, JsonNode> mirror : root.path("mirrors").properties()) {
            rewrites(mirror.getValue(), mirror.getKey());
        }
        for (Map.Entry<String, JsonNode> config : root.path("configs").properties()) {
            Tls tls = tls(config.getKey());
            requireReadable(config.getKey(), "ca_file", tls.caFile());
            requireReadable(config.getKey(), "cert_file", tls.certFile());
            requireReadable(config.getKey(), "key_file", tls.keyFile());
            if ((tls.certFile() == null) != (tls.keyFile() == null)) {
                throw new IllegalArgumentException("registry config " + source + ": configs.\"" + config.getKey()
                        + "\".tls needs both cert_file and key_file for a client certificate");
            }
        }
    }

    private void requireReadable(String host, String field, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException("registry config " + source + ": configs.\"" + host + "\".tls." + field + " " + file
                    + " is not a readable file");
        }
    }

    /** Mirrors first (in order), then the registry itself. */
    public List<Endpoint> endpoints(String domain) {
        List<Endpoint> endpoints = new ArrayList<>();
        JsonNode mirror = root.path("mirrors").path(domain);
        if (mirror.isMissingNode()) {
            mirror = root.path("mirrors").path("*");
        }
        Map<Pattern, String> rewrites = rewrites(mirror, domain);
        for (JsonNode url : mirror.path("endpoint")) {
            String base = url.asString("").replaceAll("/+$", "").replaceAll("/v2$", "");
            if (base.contains("://")) {
                endpoints.add(endpoint(base, rewrites));
                continue;
            }
            endpoints.add(endpoint("https://" + base, rewrites));
            if (isLoopback(base.replaceFirst("/.*$", ""))) {
                // containerd lets a mirror on this machine written without a scheme speak plain HTTP too.
                endpoints.add(endpoint("http://" + base, rewrites));
            }
        }
        String host = domain.equals(ImageReference.DEFAULT_DOMAIN) ? "registry-1.docker.io" : domain;
        String upstream = "https://" + host;
        if (endpoints.stream().noneMatch(e -> e.baseUrl().equals(upstream))) {
            endpoints.add(endpoint(upstream, Map.of()));
        }
        if (isLoopback(host) && endpoints.stream().noneMatch(e -> e.baseUrl().equals("http://" + host))) {
            // Like Docker, a registry on this machine may speak plain HTTP.
            endpoints.add(endpoint("http://" + host, Map.of()));
        }
        return endpoints;
    }

    private Endpoint endpoint(String base, Map<Pattern, String> rewrites) {
        String host = base.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("/.*$", "");
        JsonNode auth = root.path("configs").path(host).path("auth");
        String username = auth.path("username").asString("");
        String password = auth.path("password").asString("");
        String encoded = auth.path("auth").asString("");
        if (username.isEmpty() && !encoded.isEmpty()) {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            username = colon < 0 ? decoded : decoded.substring(0, colon);
            password = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        return new Endpoint(base, host, username, password, tls(host), rewrites);
    }

    private Tls tls(String host) {
        JsonNode tls = root.path("configs").path(host).path("tls");
        return new Tls(path(tls, "ca_file"), path(tls, "cert_file"), path(tls, "key_file"),
                tls.path("insecure_skip_verify").asBoolean(false));
    }

    private static Path path(JsonNode node, String field) {
        String value = node.path(field).asString("");
        return value.isEmpty() ? null : Path.of(value);
    }

    private Map<Pattern, String> rewrites(JsonNode mirror, String domain) {
        Map<Pattern, String> rewrites = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> rule : mirror.path("rewrite").properties()) {
            try {
                // k3s writes Go's $1 group references, which Java's replacement syntax shares.
                rewrites.put(Pattern.compile(rule.getKey()), rule.getValue().asString(""));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("registry config " + source + ": mirrors.\"" + domain + "\".rewrite \""
                        + rule.getKey() + "\" is not a valid regular expression: " + e.getDescription(), e);
            }
        }
        return rewrites;
    }

    private static boolean isLoopback(String host) {
        String name = host.replaceFirst(":\\d+$", "");
        return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }
}
