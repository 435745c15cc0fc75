package io.kube4j.kubelet.credentialprovider;

import io.fabric8.kubernetes.api.model.Secret;
import io.kube4j.cri.v1.AuthConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry credentials of a pod's {@code imagePullSecrets}, as upstream's credentialprovider keyring: the
 * {@code kubernetes.io/dockerconfigjson} ({@code {"auths": {...}}}) and legacy {@code kubernetes.io/dockercfg}
 * secret types, looked up by the registry host (and path prefix) of an image. The runtime gets them in
 * {@code PullImageRequest.auth}; upstream tries each matching credential in turn, then none.
 */
public final class DockerKeyring {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DOCKER_HUB = "docker.io";

    private record Entry(String location, AuthConfig auth) {
    }

    private final List<Entry> entries;

    private DockerKeyring(List<Entry> entries) {
        this.entries = entries;
    }

    public static DockerKeyring empty() {
        return new DockerKeyring(List.of());
    }

    /**
     * The keyring of these secrets, in order. A secret of another type or with unreadable content adds nothing
     * (upstream logs and goes on: a bad pull secret must not stop a pull that needs no credentials).
     */
    public static DockerKeyring of(List<Secret> secrets) {
        List<Entry> entries = new ArrayList<>();
        for (Secret secret : secrets) {
            Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
            try {
                if ("kubernetes.io/dockerconfigjson".equals(secret.getType()) && data.containsKey(".dockerconfigjson")) {
                    addAll(entries, JSON.readTree(decode(data.get(".dockerconfigjson"))).path("auths"));
                } else if ("kubernetes.io/dockercfg".equals(secret.getType()) && data.containsKey(".dockercfg")) {
                    addAll(entries, JSON.readTree(decode(data.get(".dockercfg"))));
                }
            } catch (JacksonException | IllegalArgumentException unreadable) {
                // ignored, as upstream: the pull goes on with the other credentials
            }
        }
        return new DockerKeyring(List.copyOf(entries));
    }

    /** The credentials that apply to {@code image}, most specific location first. */
    public List<AuthConfig> lookup(String image) {
        String target = normalizedRepository(image);
        List<Entry> matches = new ArrayList<>();
        for (Entry entry : entries) {
            if (target.equals(entry.location()) || target.startsWith(entry.location() + "/")) {
                matches.add(entry);
            }
        }
        matches.sort((a, b) -> Integer.compare(b.location().length(), a.location().length()));
        return matches.stream().map(Entry::auth).toList();
    }

    private static void addAll(List<Entry> entries, JsonNode auths) {
        for (Map.Entry<String, JsonNode> server : auths.properties()) {
            JsonNode value = server.getValue();
            String username = value.path("username").asString("");
            String password = value.path("password").asString("");
            String auth = value.path("auth").asString("");
            if (username.isEmpty() && !auth.isEmpty()) {
                String decoded = decode(auth);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    username = decoded.substring(0, colon);
                    password = decoded.substring(colon + 1);
                }
            }
            AuthConfig.Builder config = AuthConfig.newBuilder().setUsername(username).setPassword(password)
                    .setAuth(auth).setServerAddress(server.getKey());
            if (value.hasNonNull("identitytoken")) {
                config.setIdentityToken(value.path("identitytoken").asString(""));
            }
            if (value.hasNonNull("registrytoken")) {
                config.setRegistryToken(value.path("registrytoken").asString(""));
            }
            entries.add(new Entry(normalizedLocation(server.getKey()), config.build()));
        }
    }

    /** "https://index.docker.io/v1/" and friends are Docker Hub; schemes and trailing slashes do not matter. */
    static String normalizedLocation(String key) {
        String location = key.toLowerCase(Locale.ROOT);
        int scheme = location.indexOf("://");
        if (scheme >= 0) {
            location = location.substring(scheme + 3);
        }
        while (location.endsWith("/")) {
            location = location.substring(0, location.length() - 1);
        }
        if (location.equals("index.docker.io/v1") || location.equals("index.docker.io")
                || location.equals("registry-1.docker.io") || location.equals("registry.hub.docker.com")) {
            return DOCKER_HUB;
        }
        return location;
    }

    /** "busybox" is docker.io/library/busybox; a first segment with a dot, a colon or "localhost" is a host. */
    static String normalizedRepository(String image) {
        String name = image;
        int digest = name.indexOf('@');
        if (digest >= 0) {
            name = name.substring(0, digest);
        }
        int slash = name.indexOf('/');
        int tag = name.lastIndexOf(':');
        if (tag > slash) {
            name = name.substring(0, tag);
        }
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasHost = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasHost) {
            name = DOCKER_HUB + "/" + (slash < 0 ? "library/" + name : name);
        }
        return normalizedLocation(name.substring(0, name.indexOf('/'))) + name.substring(name.indexOf('/'));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
    }
}
