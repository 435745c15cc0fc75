package io.kube4j.apiserver.authn;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.kube4j.apiserver.authn.ServiceAccountTokens.*;

/**
 * Signs service-account tokens: bound tokens for the TokenRequest subresource
 * ({@code serviceaccounts/<name>/token}) and legacy tokens for {@code kubernetes.io/service-account-token}
 * Secrets.
 */
public final class TokenIssuer {

    private final KeyPair key;
    private final String keyId;
    private final String issuer;
    private final List<String> apiAudiences;
    private final Clock clock;

    public TokenIssuer(KeyPair key, String issuer, List<String> apiAudiences, Clock clock) {
        this.key = key;
        this.keyId = Jwt.keyId(key.getPublic());
        this.issuer = issuer;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.clock = clock;
    }

    /** A token and when it expires. */
    public record IssuedToken(String token, Instant expiration) {
    }

    /** What a bound token is tied to besides its service account: a Pod, Secret or Node, by name and uid. */
    public record BoundObject(String kind, String name, String uid) {
    }

    /**
     * A bound token for {@code serviceAccount} (a stored ServiceAccount object). {@code pod} may accompany a node
     * binding: tokens of pods carry the pod's node, as upstream's do.
     */
    public IssuedToken issueBound(ObjectNode serviceAccount, List<String> audiences, long expirationSeconds,
                                  BoundObject bound, BoundObject node) {
        String namespace = Json.text(serviceAccount, "metadata", "namespace");
        String name = Json.text(serviceAccount, "metadata", "name");
        String uid = Json.text(serviceAccount, "metadata", "uid");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiration = now.plusSeconds(expirationSeconds);
        ObjectNode claims = Json.object();
        ArrayNode aud = claims.putArray("aud");
        (audiences == null || audiences.isEmpty() ? apiAudiences : audiences).forEach(aud::add);
        claims.put("exp", expiration.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", issuer);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject(PRIVATE_CLAIM);
        k8s.put("namespace", namespace);
        if (node != null) {
            k8s.putObject("node").put("name", node.name()).put("uid", node.uid());
        }
        if (bound != null) {
            switch (bound.kind()) {
                case "Pod" -> k8s.putObject("pod").put("name", bound.name()).put("uid", bound.uid());
                case "Secret" -> k8s.putObject("secret").put("name", bound.name()).put("uid", bound.uid());
                case "Node" -> k8s.putObject("node").put("name", bound.name()).put("uid", bound.uid());
                default -> throw new IllegalArgumentException("cannot bind a token to a " + bound.kind());
            }
        }
        k8s.putObject("serviceaccount").put("name", name).put("uid", uid);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", UserInfo.serviceAccountUser(namespace, name));
        return new IssuedToken(Jwt.sign(claims, key.getPrivate(), keyId), expiration);
    }

    /** A legacy token stored in the Secret {@code secretName}; valid for as long as that Secret holds it. */
    public String issueLegacy(String namespace, String serviceAccountName, String serviceAccountUid,
                              String secretName) {
        ObjectNode claims = Json.object();
        claims.put("iss", LEGACY_ISSUER);
        claims.put(LEGACY_NAMESPACE, namespace);
        claims.put(LEGACY_SECRET_NAME, secretName);
        claims.put(LEGACY_SA_NAME, serviceAccountName);
        claims.put(LEGACY_SA_UID, serviceAccountUid);
        claims.put("sub", UserInfo.serviceAccountUser(namespace, serviceAccountName));
        return Jwt.sign(claims, key.getPrivate(), keyId);
    }

    /**
     * Serves a TokenRequest (authentication.k8s.io/v1) POSTed to {@code serviceaccounts/<name>/token}:
     * validates the spec, checks the bound object exists with the given uid, and returns the TokenRequest with
     * its status filled. Throws 400/422/404 StatusExceptions as upstream does.
     */
    public ObjectNode tokenRequest(ObjectNode serviceAccount, ObjectNode request, ObjectLookup lookup) {
        String namespace = Json.text(serviceAccount, "metadata", "namespace");
        String saName = Json.text(serviceAccount, "metadata", "name");
        ObjectNode result = request.deepCopy();
        ObjectNode spec = Json.child(result, "spec");
        JsonNode seconds = spec.get("expirationSeconds");
        long expiration = seconds == null || seconds.isNull() ? DEFAULT_EXPIRATION_SECONDS : seconds.asLong();
        List<StatusCause> causes = new ArrayList<>();
        if (seconds != null && !seconds.isNull() && !seconds.isIntegralNumber()) {
            causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + seconds + ": must be an integer",
                    "spec.expirationSeconds"));
        } else if (expiration < MIN_EXPIRATION_SECONDS) {
            causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + expiration
                    + ": may not specify a duration less than 10 minutes", "spec.expirationSeconds"));
        } else if (expiration > MAX_EXPIRATION_SECONDS) {
            causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + expiration
                    + ": may not specify a duration larger than 2^32 seconds", "spec.expirationSeconds"));
        }
        List<String> audiences = new ArrayList<>();
        JsonNode aud = spec.get("audiences");
        if (aud != null && aud.isArray()) {
            aud.forEach(a -> audiences.add(a.asString("")));
        }
        BoundObject bound = null;
        BoundObject node = null;
        ObjectNode ref = Json.obj(spec, "boundObjectRef");
        if (ref != null) {
            String kind = Json.text(ref, "kind");
            String name = Json.text(ref, "name");
            String uid = Json.text(ref, "uid");
            String resource = kind == null ? null : switch (kind) {
                case "Pod" -> "pods";
                case "Secret" -> "secrets";
                case "Node" -> "nodes";
                default -> null;
            };
            if (resource == null) {
                causes.add(new StatusCause("FieldValueNotSupported", "Unsupported value: \"" + kind
                        + "\": supported values: \"Pod\", \"Secret\", \"Node\"", "spec.boundObjectRef.kind"));
            } else if (name == null || name.isEmpty()) {
                causes.add(new StatusCause("FieldValueRequired", "Required value", "spec.boundObjectRef.name"));
            } else if (causes.isEmpty()) {
                ObjectNode target = lookup.get(resource, kind.equals("Node") ? null : namespace, name)
                        .orElseThrow(() -> StatusException.notFound("", resource, name));
                String actualUid = Json.text(target, "metadata", "uid");
                if (uid != null && !uid.isEmpty() && !uid.equals(actualUid)) {
                    throw StatusException.conflict("", resource, name, "the UID in the bound object reference ("
                            + uid + ") does not match the UID in record. The object might have been deleted and "
                            + "then recreated");
                }
                bound = new BoundObject(kind, name, actualUid);
                if (kind.equals("Pod")) {
                    String nodeName = Json.text(target, "spec", "nodeName");
                    if (nodeName != null) {
                        node = lookup.get("nodes", null, nodeName)
                                .map(n -> new BoundObject("Node", nodeName, Json.text(n, "metadata", "uid")))
                                .orElse(null);
                    }
                }
            }
        }
        if (!causes.isEmpty()) {
            throw StatusException.invalid("authentication.k8s.io", "TokenRequest", saName, causes);
        }
        IssuedToken token = issueBound(serviceAccount, audiences, expiration, bound, node);
        if (!spec.has("audiences") || spec.get("audiences").isEmpty()) {
            ArrayNode defaulted = spec.putArray("audiences");
            apiAudiences.forEach(defaulted::add);
        }
        spec.put("expirationSeconds", expiration);
        ObjectNode status = result.putObject("status");
        status.put("token", token.token());
        status.put("expirationTimestamp", token.expiration().toString());
        result.put("apiVersion", "authentication.k8s.io/v1");
        result.put("kind", "TokenRequest");
        ObjectNode metadata = Json.metadata(result);
        metadata.put("name", saName);
        metadata.put("namespace", namespace);
        metadata.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        return result;
    }
}
