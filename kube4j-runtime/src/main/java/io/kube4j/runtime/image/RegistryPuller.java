package io.kube4j.runtime.image;

import tools.jackson.databind.JsonNode;
import io.kube4j.cri.v1.AuthConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kube4j.runtime.util.Json;

/**
 * Pulls images over the registry v2 API (OCI distribution): bearer-token and basic auth, manifest
 * lists and OCI indexes resolved to linux/amd64, and every blob checked against its digest.
 */
public final class RegistryPuller implements ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryPuller.class);
    private static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final ImageStore store;
    private final RegistryConfig config;
    private final RegistryClients clients = new RegistryClients();

    public RegistryPuller(ImageStore store, RegistryConfig config) {
        this.store = store;
        this.config = config;
    }

    @Override
    public ImageRecord pull(ImageReference reference, AuthConfig auth) {
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> denials = new ArrayList<>();
        ImageNotFoundException notFound = null;
        Set<String> tlsHosts = new HashSet<>();
        Set<String> plainHttpHosts = new HashSet<>();
        for (RegistryConfig.Endpoint endpoint : config.endpoints(reference.domain())) {
            if (endpoint.baseUrl().startsWith("http://") && tlsHosts.contains(endpoint.host())) {
                // It answered over TLS: plain HTTP to the same port can only add a confusing "HTTP 400".
                continue;
            }
            if (endpoint.baseUrl().startsWith("http://") && plainHttpHosts.contains(endpoint.host())) {
                // The https attempt only found out that this server speaks plain HTTP: not worth reporting.
                failures.remove("https://" + endpoint.baseUrl().substring("http://".length()));
            }
            try {
                return pullFrom(new Session(endpoint, reference, auth), reference);
            } catch (ImageNotFoundException e) {
                notFound = e;
                tlsHosts.add(endpoint.host());
            } catch (RegistryAuthException e) {
                LOG.debug("pull of {} from {} denied: {}", reference, endpoint.baseUrl(), e.getMessage());
                denials.add(endpoint.baseUrl() + ": " + e.getMessage());
                tlsHosts.add(endpoint.host());
            } catch (IOException | RuntimeException e) {
                LOG.debug("pull of {} from {} failed: {}", reference, endpoint.baseUrl(), TransportFailures.describe(e));
                failures.put(endpoint.baseUrl(), TransportFailures.explain(e, endpoint));
                if (endpoint.baseUrl().startsWith("https://") && TransportFailures.speaksTls(e)) {
                    tlsHosts.add(endpoint.host());
                } else if (TransportFailures.isPlainHttp(e)) {
                    plainHttpHosts.add(endpoint.host());
                }
            }
        }
        if (notFound != null) {
            throw notFound;
        }
        // A refusal says more than the TLS or connection errors of the other endpoints: it comes first.
        List<String> reasons = new ArrayList<>(denials);
        failures.forEach((url, reason) -> reasons.add(url + ": " + reason));
        if (!denials.isEmpty()) {
            throw new RegistryAuthException("cannot pull " + reference + ": " + String.join("; ", reasons));
        }
        throw new IllegalStateException("cannot pull " + reference + ": " + String.join("; ", reasons));
    }

    private ImageRecord pullFrom(Session session, ImageReference reference) throws IOException {
        String wanted = reference.hasDigest() ? reference.digest() : reference.tag();
        Fetched top = session.manifest(wanted);
        if (reference.hasDigest() && !top.digest.equals(reference.digest())) {
            throw new IllegalStateException("registry sent manifest " + top.digest + " for " + reference.digest());
        }
        Fetched manifest = top;
        JsonNode node = Json.parse(top.body);
        if (node.has("manifests")) {
            String chosen = null;
            for (JsonNode child : node.path("manifests")) {
                JsonNode platform = child.path("platform");
                if (platform.path("os").asString("").equals("linux") && platform.path("architecture").asString("").equals("amd64")) {
                    chosen = child.path("digest").asString("");
                    break;
                }
            }
            if (chosen == null) {
                throw new IllegalArgumentException("image " + reference + " has no linux/amd64 variant");
            }
            store.putBlob(top.digest, new java.io.ByteArrayInputStream(top.body));
            manifest = session.manifest(chosen);
            if (!manifest.digest.equals(chosen)) {
                throw new IllegalStateException("registry sent manifest " + manifest.digest + " for " + chosen);
            }
            node = Json.parse(manifest.body);
        }
        List<String> blobs = new ArrayList<>();
        blobs.add(node.path("config").path("digest").asString(""));
        node.path("layers").forEach(l -> blobs.add(l.path("digest").asString("")));
        for (String digest : blobs) {
            if (!store.hasBlob(digest)) {
                try (InputStream in = session.blob(digest)) {
                    store.putBlob(digest, in);
                }
            }
        }
        store.putBlob(manifest.digest, new java.io.ByteArrayInputStream(manifest.body));
        List<ImageReference> names = new ArrayList<>();
        if (reference.hasTag()) {
            names.add(ImageReference.parse(reference.taggedName()));
        }
        names.add(ImageReference.parse(reference.repository() + "@" + manifest.digest));
        ImageRecord image = store.tag(manifest.digest, names);
        store.unpackedLayers(image);
        LOG.info("pulled {} ({}) from {}", reference, image.id(), session.endpoint.baseUrl());
        return store.find(manifest.digest).orElse(image);
    }

    private record Fetched(String digest, byte[] body) {
    }

    /** One pull from one endpoint: remembers the auth header the registry asked for. */
    private final class Session {
        private final RegistryConfig.Endpoint endpoint;
        private final ImageReference reference;
        private final String path;
        private final HttpClient http;
        private final String username;
        private final String password;
        private final String registryToken;
        private String authorization;

        Session(RegistryConfig.Endpoint endpoint, ImageReference reference, AuthConfig auth) {
            this.endpoint = endpoint;
            this.reference = reference;
            this.path = endpoint.repositoryPath(reference.path());
            this.http = clients.forTls(endpoint.tls());
            String user = auth.getUsername();
            String pass = auth.getPassword();
            if (user.isEmpty() && !auth.getAuth().isEmpty()) {
                String decoded = new String(Base64.getDecoder().decode(auth.getAuth()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                user = colon < 0 ? decoded : decoded.substring(0, colon);
                pass = colon < 0 ? "" : decoded.substring(colon + 1);
            }
            if (user.isEmpty()) {
                user = endpoint.username();
                pass = endpoint.password();
            }
            this.username = user;
            this.password = pass;
            this.registryToken = auth.getRegistryToken();
            if (!registryToken.isEmpty()) {
                authorization = "Bearer " + registryToken;
            }
        }

        Fetched manifest(String tagOrDigest) throws IOException {
            HttpResponse<byte[]> response = send(url("manifests/" + tagOrDigest), ACCEPT, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw new ImageNotFoundException(reference.repository() + (tagOrDigest.startsWith("sha256:") ? "@" : ":") + tagOrDigest,
                        endpoint.baseUrl());
            }
            check(response, "manifest " + tagOrDigest);
            return new Fetched(Digests.of(response.body()), response.body());
        }

        InputStream blob(String digest) throws IOException {
            HttpResponse<InputStream> response = send(url("blobs/" + digest), "*/*", HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("blob " + digest + ": HTTP " + response.statusCode());
            }
            return response.body();
        }

        private URI url(String suffix) {
            return URI.create(endpoint.baseUrl() + "/v2/" + path + "/" + suffix);
        }

        private <T> HttpResponse<T> send(URI uri, String accept, HttpResponse.BodyHandler<T> handler) throws IOException {
            HttpResponse<T> response = sendOnce(uri, accept, handler);
            if (response.statusCode() == 401) {
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                closeQuietly(response);
                authorization = authenticate(challenge);
                response = sendOnce(uri, accept, handler);
            }
            return response;
        }

        private <T> HttpResponse<T> sendOnce(URI uri, String accept, HttpResponse.BodyHandler<T> handler) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", accept).timeout(Duration.ofMinutes(10)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                return http.send(request.build(), handler);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        private String authenticate(String challenge) throws IOException {
            if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
                if (username.isEmpty()) {
                    throw new RegistryAuthException("registry " + endpoint.host() + " requires a user name and password: set configs.\""
                            + endpoint.host() + "\".auth in registries.yaml or pass credentials with the pull");
                }
                return basic();
            }
            if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
                throw new IllegalStateException("registry " + endpoint.host() + " asks for unsupported authentication: " + challenge);
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = CHALLENGE_PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1), m.group(2));
            }
            String realm = params.get("realm");
            if (realm == null) {
                throw new IllegalStateException("registry " + endpoint.host() + " sent a bearer challenge without a realm");
            }
            StringBuilder tokenUrl = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
            if (params.containsKey("service")) {
                tokenUrl.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
            }
            String scope = params.getOrDefault("scope", "repository:" + path + ":pull");
            tokenUrl.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenUrl.toString())).timeout(Duration.ofSeconds(30)).GET();
            if (!username.isEmpty()) {
                request.header("Authorization", basic());
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new RegistryAuthException("token server " + realm + " refused " + (username.isEmpty() ? "anonymous access"
                        : "the credentials of user \"" + username + "\"") + " to " + reference.repository() + " (HTTP " + response.statusCode() + ")");
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token server " + realm + " failed for " + reference.repository()
                        + ": HTTP " + response.statusCode());
            }
            JsonNode token = Json.parse(response.body());
            String value = token.path("token").asString(token.path("access_token").asString(""));
            if (value.isEmpty()) {
                throw new IllegalStateException("token server " + realm + " returned no token");
            }
            return "Bearer " + value;
        }

        private String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        private void check(HttpResponse<?> response, String what) {
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new RegistryAuthException("registry " + endpoint.host() + " denied " + (username.isEmpty() ? "anonymous access"
                        : "user \"" + username + "\"") + " access to " + reference.repository() + " (HTTP " + response.statusCode()
                        + "): check the credentials");
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + ": HTTP " + response.statusCode());
            }
        }

        private void closeQuietly(HttpResponse<?> response) {
            if (response.body() instanceof InputStream in) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // discarded body
                }
            }
        }
    }
}
