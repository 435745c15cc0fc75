package io.kube4j.apiserver.admission.matching;

import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * Whether a webhook's {@code rules} (or a policy's resourceRules) cover a request, as upstream's rule matcher
 * ({@code plugin/webhook/predicates/rules}) reads them.
 */
final class ResourceRules {

    private ResourceRules() {
    }

    /**
     * Whether any rule covers {@code operation} on {@code group/version/resource[/subresource]}; {@code namespaced}
     * is whether the object lives in a namespace (for the rule's scope).
     */
    static boolean matches(JsonNode rules, Operation operation, String group, String version, String resource,
                           String subresource, boolean namespaced) {
        if (rules == null || !rules.isArray()) {
            return false;
        }
        for (JsonNode rule : rules) {
            if (contains(rule.get("operations"), operation.name())
                    && contains(rule.get("apiGroups"), group)
                    && contains(rule.get("apiVersions"), version)
                    && resourceMatches(rule.get("resources"), resource, subresource)
                    && scopeMatches(Json.text(rule, "scope"), namespaced)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode values, String wanted) {
        if (values == null || !values.isArray()) {
            return false;
        }
        for (JsonNode value : values) {
            String text = value.asString("");
            if (text.equals("*") || text.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** "pods" is the main resource only, "pods/status" one subresource, "pods/*" all, "* /status", "*" mains. */
    private static boolean resourceMatches(JsonNode resources, String resource, String sub) {
        if (resources == null || !resources.isArray()) {
            return false;
        }
        for (JsonNode value : resources) {
            String text = value.asString("");
            if (text.equals("*/*")) {
                return true;
            }
            int slash = text.indexOf('/');
            String ruleResource = slash < 0 ? text : text.substring(0, slash);
            String ruleSubresource = slash < 0 ? "" : text.substring(slash + 1);
            boolean resourceOk = ruleResource.equals("*") || ruleResource.equals(resource);
            boolean subOk = ruleSubresource.equals("*") || ruleSubresource.equals(sub);
            if (resourceOk && subOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean scopeMatches(String scope, boolean namespaced) {
        if (scope == null || scope.equals("*")) {
            return true;
        }
        return scope.equals("Namespaced") == namespaced;
    }
}
