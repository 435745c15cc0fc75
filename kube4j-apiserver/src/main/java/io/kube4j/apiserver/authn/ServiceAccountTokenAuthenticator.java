package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kube4j.apiserver.authn.ServiceAccountTokens.*;

/**
 * Service-account JWTs: legacy secret-based tokens (issuer {@code kubernetes/serviceaccount}, valid while their
 * Secret holds them) and bound tokens (issuer {@code issuers}, with {@code exp}, {@code nbf}, an audience the API
 * server accepts, and the {@code kubernetes.io} claim). Both are valid only while the service account - and the
 * pod or secret a bound token names - still exists with the uid recorded in the token.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator, Authenticator {

    /** Tolerated clock difference for exp / nbf, as upstream's validator allows. */
    private static final long LEEWAY_SECONDS = 60;

    private final List<PublicKey> keys;
    private final List<String> issuers;
    private final List<String> apiAudiences;
    private final ObjectLookup lookup;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(List<PublicKey> keys, List<String> issuers, List<String> apiAudiences,
                                            ObjectLookup lookup, Clock clock) {
        this.keys = List.copyOf(keys);
        this.issuers = List.copyOf(issuers);
        this.apiAudiences = List.copyOf(apiAudiences);
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
        Jwt jwt = Jwt.parse(token);
        if (jwt == null) {
            return AuthenticationResult.notApplicable();
        }
        String issuer = Json.text(jwt.claims(), "iss");
        if (issuer == null) {
            return AuthenticationResult.notApplicable();
        }
        boolean legacy = LEGACY_ISSUER.equals(issuer);
        if (!legacy && !issuers.contains(issuer)) {
            return AuthenticationResult.notApplicable();
        }
        if (keys.stream().noneMatch(jwt::verify)) {
            return AuthenticationResult.failed("invalid bearer token, token signature is invalid");
        }
        try {
            return AuthenticationResult.authenticated(legacy ? legacy(jwt.claims(), token)
                    : bound(jwt.claims(), audiences.isEmpty() ? apiAudiences : audiences));
        } catch (InvalidToken e) {
            return AuthenticationResult.failed("invalid bearer token, " + e.getMessage());
        }
    }

    private UserInfo legacy(ObjectNode claims, String token) {
        String namespace = required(claims, LEGACY_NAMESPACE);
        String saName = required(claims, LEGACY_SA_NAME);
        String saUid = required(claims, LEGACY_SA_UID);
        String secretName = required(claims, LEGACY_SECRET_NAME);
        checkServiceAccount(namespace, saName, saUid);
        ObjectNode secret = lookup.get("secrets", namespace, secretName)
                .orElseThrow(() -> new InvalidToken("secret " + namespace + "/" + secretName + " not found"));
        if (deleting(secret)) {
            throw new InvalidToken("secret " + namespace + "/" + secretName + " is being deleted");
        }
        String stored = Json.text(secret, "data", "token");
        byte[] storedToken;
        try {
            storedToken = stored == null ? new byte[0] : Base64.getDecoder().decode(stored);
        } catch (IllegalArgumentException e) {
            storedToken = new byte[0];
        }
        if (!MessageDigest.isEqual(storedToken, token.getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidToken("token does not match the secret " + namespace + "/" + secretName);
        }
        return serviceAccountUser(namespace, saName, saUid, Map.of());
    }

    private UserInfo bound(ObjectNode claims, List<String> acceptedAudiences) {
        long now = clock.instant().getEpochSecond();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            throw new InvalidToken("token has no expiry");
        }
        if (now > exp.asLong() + LEEWAY_SECONDS) {
            throw new InvalidToken("token has expired");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && nbf.isNumber() && now + LEEWAY_SECONDS < nbf.asLong()) {
            throw new InvalidToken("token is not valid yet");
        }
        if (!audienceMatches(claims.get("aud"), acceptedAudiences)) {
            throw new InvalidToken("token audiences " + claims.get("aud") + " is invalid for the target audiences "
                    + acceptedAudiences);
        }
        ObjectNode k8s = Json.obj(claims, PRIVATE_CLAIM);
        if (k8s == null) {
            throw new InvalidToken("token has no " + PRIVATE_CLAIM + " claim");
        }
        String namespace = requiredIn(k8s, "namespace");
        String saName = requiredIn(k8s, "serviceaccount", "name");
        String saUid = requiredIn(k8s, "serviceaccount", "uid");
        checkServiceAccount(namespace, saName, saUid);
        Map<String, List<String>> extra = new LinkedHashMap<>();
        ObjectNode pod = Json.obj(k8s, "pod");
        if (pod != null) {
            String podName = requiredIn(pod, "name");
            String podUid = requiredIn(pod, "uid");
            checkBoundObject("pods", namespace, podName, podUid);
            extra.put(EXTRA_POD_NAME, List.of(podName));
            extra.put(EXTRA_POD_UID, List.of(podUid));
        }
        ObjectNode secret = Json.obj(k8s, "secret");
        if (secret != null) {
            checkBoundObject("secrets", namespace, requiredIn(secret, "name"), requiredIn(secret, "uid"));
        }
        ObjectNode node = Json.obj(k8s, "node");
        if (node != null) {
            String nodeName = requiredIn(node, "name");
            String nodeUid = requiredIn(node, "uid");
            if (pod == null) {
                checkBoundObject("nodes", null, nodeName, nodeUid);
            }
            extra.put(EXTRA_NODE_NAME, List.of(nodeName));
            extra.put(EXTRA_NODE_UID, List.of(nodeUid));
        }
        String jti = Json.text(claims, "jti");
        if (jti != null && !jti.isEmpty()) {
            extra.put(EXTRA_CREDENTIAL_ID, List.of("JTI=" + jti));
        }
        return serviceAccountUser(namespace, saName, saUid, extra);
    }

    private static boolean audienceMatches(JsonNode aud, List<String> accepted) {
        List<String> audiences = new ArrayList<>();
        if (aud != null && aud.isString()) {
            audiences.add(aud.asString());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> audiences.add(a.asString("")));
        }
        return audiences.stream().anyMatch(accepted::contains);
    }

    private void checkServiceAccount(String namespace, String name, String uid) {
        ObjectNode sa = lookup.get("serviceaccounts", namespace, name)
                .orElseThrow(() -> new InvalidToken("service account " + namespace + "/" + name + " not found"));
        if (!uid.equals(Json.text(sa, "metadata", "uid"))) {
            throw new InvalidToken("service account UID (" + uid + ") does not match the current one");
        }
        if (deleting(sa)) {
            throw new InvalidToken("service account " + namespace + "/" + name + " is being deleted");
        }
    }

    private void checkBoundObject(String resource, String namespace, String name, String uid) {
        Optional<ObjectNode> object = lookup.get(resource, namespace, name);
        if (object.isEmpty()) {
            throw new InvalidToken(resource + " " + name + " the token is bound to no longer exists");
        }
        if (!uid.equals(Json.text(object.get(), "metadata", "uid"))) {
            throw new InvalidToken(resource + " " + name + " the token is bound to was replaced (uid differs)");
        }
        if (deleting(object.get())) {
            throw new InvalidToken(resource + " " + name + " the token is bound to is being deleted");
        }
    }

    /** True once the deletion deadline has passed: a pod keeps its token through its graceful termination. */
    private boolean deleting(ObjectNode object) {
        String deletion = Json.text(object, "metadata", "deletionTimestamp");
        if (deletion == null) {
            return false;
        }
        try {
            return !Instant.parse(deletion).isAfter(clock.instant());
        } catch (RuntimeException e) {
            return true;
        }
    }

    static UserInfo serviceAccountUser(String namespace, String name, String uid, Map<String, List<String>> extra) {
        return new UserInfo(UserInfo.serviceAccountUser(namespace, name), uid,
                List.of(UserInfo.SERVICE_ACCOUNTS_GROUP, UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + namespace), extra);
    }

    private static String required(ObjectNode claims, String claim) {
        String value = Json.text(claims, claim);
        if (value == null || value.isEmpty()) {
            throw new InvalidToken("token has no " + claim + " claim");
        }
        return value;
    }

    private static String requiredIn(ObjectNode node, String... path) {
        String value = Json.text(node, path);
        if (value == null || value.isEmpty()) {
            throw new InvalidToken("token has no " + String.join(".", path) + " claim");
        }
        return value;
    }

    private static final class InvalidToken extends RuntimeException {
        InvalidToken(String message) {
            super(message, null, false, false);
        }
    }
}
