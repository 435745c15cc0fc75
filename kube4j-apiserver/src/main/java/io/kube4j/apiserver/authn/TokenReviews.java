package io.kube4j.apiserver.authn;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates a TokenReview (authentication.k8s.io/v1, POST /apis/authentication.k8s.io/v1/tokenreviews). */
public final class TokenReviews {

    private TokenReviews() {
    }

    public static ObjectNode evaluate(ObjectNode review, TokenAuthenticator authenticator, List<String> apiAudiences) {
        String token = Json.text(review, "spec", "token");
        if (token == null || token.isEmpty()) {
            throw StatusException.invalid("authentication.k8s.io", "TokenReview", "",
                    List.of(new io.kube4j.api.status.StatusCause("FieldValueRequired", "Required value",
                            "spec.token")));
        }
        List<String> audiences = new ArrayList<>();
        JsonNode requested = review.path("spec").path("audiences");
        if (requested.isArray()) {
            requested.forEach(a -> audiences.add(a.asString("")));
        }
        List<String> target = audiences.isEmpty() ? apiAudiences : audiences;
        AuthenticationResult result = authenticator.authenticateToken(token, target);
        ObjectNode out = review.deepCopy();
        out.put("apiVersion", "authentication.k8s.io/v1");
        out.put("kind", "TokenReview");
        ObjectNode status = out.putObject("status");
        if (result.isAuthenticated()) {
            status.put("authenticated", true);
            status.set("user", userJson(result.user()));
            ArrayNode aud = status.putArray("audiences");
            target.forEach(aud::add);
        } else {
            status.putObject("user");
            status.put("error", result.isFailure() ? result.failure() : "invalid bearer token");
        }
        return out;
    }

    /** authentication.k8s.io UserInfo JSON: username, uid, groups, extra. */
    public static ObjectNode userJson(UserInfo user) {
        ObjectNode node = Json.object();
        node.put("username", user.name());
        if (!user.uid().isEmpty()) {
            node.put("uid", user.uid());
        }
        ArrayNode groups = node.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = node.putObject("extra");
            for (Map.Entry<String, List<String>> e : user.extra().entrySet()) {
                ArrayNode values = extra.putArray(e.getKey());
                e.getValue().forEach(values::add);
            }
        }
        return node;
    }
}
