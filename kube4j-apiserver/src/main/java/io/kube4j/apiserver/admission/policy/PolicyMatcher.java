package io.kube4j.apiserver.admission.policy;

import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.matching.RequestMatcher;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whether a MatchResources (a policy's matchConstraints, a binding's matchResources) covers a request, as upstream's
 * policy matcher decides: its namespace and object selectors, none of its excludeResourceRules, and one of its
 * resourceRules - every request when it has none - each rule limited to its resourceNames when it lists some. The
 * selectors, rules and matchPolicy Equivalent are read exactly as a webhook's, by {@link RequestMatcher}.
 */
final class PolicyMatcher {

    /** What a MatchResources without resourceRules stands for: every operation on every resource. */
    private static final ArrayNode EVERYTHING = everything();

    private final RequestMatcher webhooks;

    PolicyMatcher(ObjectLookup lookup) {
        this.webhooks = new RequestMatcher(lookup);
    }

    /** Whether a binding's {@code matchResources} (null: none, it narrows nothing) covers {@code request}. */
    boolean covers(JsonNode match, AdmissionRequest request) {
        return match == null || !match.isObject() || match(match, request) != null;
    }

    /**
     * How a policy's {@code matchConstraints} covers {@code request}: the resource it is matched as (differs from the
     * request's under matchPolicy Equivalent), or null when it does not cover it.
     */
    RequestMatcher.Invocation match(JsonNode match, AdmissionRequest request) {
        if (match == null || !match.isObject()) {
            return null;
        }
        JsonNode include = match.get("resourceRules");
        ObjectNode hook = asWebhook(match, include == null || include.isEmpty() ? EVERYTHING
                : named(include, request.name()));
        RequestMatcher.Invocation invocation = webhooks.match(hook, request);
        if (invocation == null) {
            return null;
        }
        JsonNode exclude = match.get("excludeResourceRules");
        if (exclude == null || exclude.isEmpty()) {
            return invocation;
        }
        ObjectNode excluding = asWebhook(null, named(exclude, request.name()));
        excluding.put("matchPolicy", Json.text(match, "matchPolicy"));
        return webhooks.match(excluding, request) == null ? invocation : null;
    }

    /** A webhook with {@code match}'s selectors and match policy (none when null) and {@code rules}. */
    private static ObjectNode asWebhook(JsonNode match, ArrayNode rules) {
        ObjectNode hook = Json.object();
        if (match != null) {
            for (String field : new String[] {"namespaceSelector", "objectSelector", "matchPolicy"}) {
                if (match.has(field)) {
                    hook.set(field, match.get(field));
                }
            }
        }
        hook.set("rules", rules);
        return hook;
    }

    /** The rules that may cover an object named {@code name}: those without resourceNames, or that list it. */
    private static ArrayNode named(JsonNode rules, String name) {
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode rule : rules) {
            JsonNode names = rule.get("resourceNames");
            boolean listed = names == null || names.isEmpty();
            if (!listed) {
                for (JsonNode candidate : names) {
                    listed |= candidate.asString("").equals(name);
                }
            }
            if (listed) {
                kept.add(rule);
            }
        }
        return kept;
    }

    private static ArrayNode everything() {
        ArrayNode rules = Json.MAPPER.createArrayNode();
        ObjectNode rule = rules.addObject();
        rule.putArray("operations").add("*");
        rule.putArray("apiGroups").add("*");
        rule.putArray("apiVersions").add("*");
        rule.putArray("resources").add("*/*");
        rule.put("scope", "*");
        return rules;
    }
}
