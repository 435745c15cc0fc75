package io.kube4j.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry mirrors and credentials, in k3s's registries.yaml shape:
 * <pre>
 * mirrors:
 *   docker.io:
 *     endpoint: ["http://127.0.0.1:5000"]
 * configs:
 *   "127.0.0.1:5000":
 *     auth: {username: u, password: p}
 *     tls: {insecure_skip_verify: true}
 * </pre>
 */
public final class RegistryConfig {
    /** Where to reach a registry and how to log in. */
    public record Endpoint(String baseUrl, String host, String username, String password) {
    }

    private final JsonNode root;

    private RegistryConfig(JsonNode root) {
        this.root = root;
    }

    public static RegistryConfig empty() {
        return new RegistryConfig(new ObjectMapper().createObjectNode());
    }

    public static RegistryConfig load(Path file) {
        if (file == null || !Files.exists(file)) {
            return empty();
        }
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            return new RegistryConfig(node == null ? new ObjectMapper().createObjectNode() : node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read registry config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Mirrors first (in order), then the registry itself. */
    public List<Endpoint> endpoints(String domain) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JsonNode url : root.path("mirrors").path(domain).path("endpoint")) {
            String base = url.asText().replaceAll("/+$", "").replaceAll("/v2$", "");
            if (!base.contains("://")) {
                base = "https://" + base;
            }
            endpoints.add(endpoint(base));
        }
        String host = domain.equals(ImageReference.DEFAULT_DOMAIN) ? "registry-1.docker.io" : domain;
        endpoints.add(endpoint("https://" + host));
        if (isLoopback(host)) {
            // Like Docker, a registry on this machine may speak plain HTTP.
            endpoints.add(endpoint("http://" + host));
        }
        return endpoints;
    }

    private Endpoint endpoint(String base) {
        String host = base.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
        JsonNode auth = root.path("configs").path(host).path("auth");
        return new Endpoint(base, host, auth.path("username").asText(""), auth.path("password").asText(""));
    }

    private static boolean isLoopback(String host) {
        String name = host.replaceFirst(":\\d+$", "");
        return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }
}
