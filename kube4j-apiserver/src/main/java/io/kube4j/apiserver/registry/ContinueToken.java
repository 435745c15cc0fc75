package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Base64;

/**
 * The opaque continue token of a paged list, in upstream's format: base64url of
 * {@code {"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key relative to the prefix>"}}.
 */
public record ContinueToken(long revision, String start) {

    public String encode() {
        ObjectNode json = Json.object();
        json.put("v", "meta.k8s.io/v1");
        json.put("rv", revision);
        json.put("start", start);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(json));
    }

    public static ContinueToken decode(String token) {
        try {
            JsonNode json = Json.parse(Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_')
                    .replace("=", "")));
            if (!"meta.k8s.io/v1".equals(Json.text(json, "v")) || !json.path("rv").isNumber()
                    || Json.text(json, "start") == null) {
                throw new IllegalArgumentException();
            }
            String start = Json.text(json, "start");
            if (start.startsWith("/") || start.contains("..")) {
                throw new IllegalArgumentException();
            }
            return new ContinueToken(json.path("rv").asLong(), start);
        } catch (RuntimeException e) {
            throw StatusException.badRequest("continue key is not valid: incorrect encoded start resourceVersion "
                    + "(version meta.k8s.io/v1)");
        }
    }
}
