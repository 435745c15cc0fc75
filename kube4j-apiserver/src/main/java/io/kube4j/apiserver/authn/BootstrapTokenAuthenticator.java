package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bootstrap tokens {@code <id>.<secret>} for joining agents, stored as Secrets {@code bootstrap-token-<id>} of
 * type {@code bootstrap.kubernetes.io/token} in kube-system. They authenticate as
 * {@code system:bootstrap:<id>} in {@code system:bootstrappers} plus the Secret's {@code auth-extra-groups}.
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator, Authenticator {

    public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    public static final String NAMESPACE = "kube-system";
    public static final String SECRET_PREFIX = "bootstrap-token-";
    public static final String GROUP = "system:bootstrappers";
    public static final String USER_PREFIX = "system:bootstrap:";
    private static final Pattern TOKEN = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");
    private static final Pattern EXTRA_GROUP = Pattern.compile("^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$");

    private final ObjectLookup lookup;
    private final Clock clock;

    public BootstrapTokenAuthenticator(ObjectLookup lookup, Clock clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        String token = request.bearerToken();
        return token == null ? AuthenticationResult.notApplicable() : authenticateToken(token, List.of());
    }

    @Override
    public AuthenticationResult authenticateToken(String token, List<String> audiences) {
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            return AuthenticationResult.notApplicable();
        }
        String id = matcher.group(1);
        Optional<ObjectNode> found = lookup.get("secrets", NAMESPACE, SECRET_PREFIX + id);
        if (found.isEmpty()) {
            return AuthenticationResult.notApplicable();
        }
        ObjectNode secret = found.get();
        if (!SECRET_TYPE.equals(Json.text(secret, "type")) || Json.text(secret, "metadata", "deletionTimestamp") != null) {
            return AuthenticationResult.notApplicable();
        }
        String storedSecret = data(secret, "token-secret");
        if (!id.equals(data(secret, "token-id")) || storedSecret == null || !MessageDigest.isEqual(
                storedSecret.getBytes(StandardCharsets.UTF_8), matcher.group(2).getBytes(StandardCharsets.UTF_8))) {
            return AuthenticationResult.notApplicable();
        }
        String expiration = data(secret, "expiration");
        if (expiration != null) {
            try {
                if (!Instant.parse(expiration).isAfter(clock.instant())) {
                    return AuthenticationResult.failed("bootstrap token " + id + " has expired");
                }
            } catch (RuntimeException e) {
                return AuthenticationResult.failed("bootstrap token " + id + " has an unparsable expiration");
            }
        }
        if (!"true".equals(data(secret, "usage-bootstrap-authentication"))) {
            return AuthenticationResult.notApplicable();
        }
        List<String> groups = new ArrayList<>();
        groups.add(GROUP);
        String extra = data(secret, "auth-extra-groups");
        if (extra != null) {
            for (String group : extra.split(",")) {
                String trimmed = group.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!EXTRA_GROUP.matcher(trimmed).matches()) {
                    return AuthenticationResult.failed("bootstrap token " + id + " has an invalid extra group");
                }
                if (!groups.contains(trimmed)) {
                    groups.add(trimmed);
                }
            }
        }
        return AuthenticationResult.authenticated(new UserInfo(USER_PREFIX + id, "", groups, Map.of()));
    }

    /** A Secret data value (base64) or stringData value, decoded; null when absent. */
    private static String data(ObjectNode secret, String key) {
        String encoded = Json.text(secret, "data", key);
        if (encoded != null) {
            try {
                return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return Json.text(secret, "stringData", key);
    }
}
