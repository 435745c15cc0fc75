package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Creates bootstrap tokens and the Secrets that hold them ({@code kube4j token create}). */
public final class BootstrapTokens {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private BootstrapTokens() {
    }

    public static String generate() {
        return random(6) + "." + random(16);
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** The kube-system Secret for {@code token}, usable for authentication until {@code now + ttl}. */
    public static ObjectNode secret(String token, Instant now, Duration ttl, String description) {
        String[] parts = token.split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a bootstrap token is <id>.<secret>");
        }
        ObjectNode secret = Json.object();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", BootstrapTokenAuthenticator.SECRET_PREFIX + parts[0]);
        metadata.put("namespace", BootstrapTokenAuthenticator.NAMESPACE);
        secret.put("type", BootstrapTokenAuthenticator.SECRET_TYPE);
        ObjectNode data = secret.putObject("data");
        data.put("token-id", b64(parts[0]));
        data.put("token-secret", b64(parts[1]));
        data.put("usage-bootstrap-authentication", b64("true"));
        data.put("usage-bootstrap-signing", b64("true"));
        data.put("auth-extra-groups", b64("system:bootstrappers:kube4j:default-node-token"));
        if (ttl != null && !ttl.isZero()) {
            data.put("expiration", b64(now.plus(ttl).toString()));
        }
        if (description != null) {
            data.put("description", b64(description));
        }
        return secret;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
