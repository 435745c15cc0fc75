package io.kube4j.apiserver.admission.webhook;

import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

/** Whether a webhook's {@code rules} cover a request, as upstream's rule matcher reads them. */
final class WebhookRules {

    private WebhookRules() {
    }

    static boolean matches(JsonNode rules, AdmissionRequest request, String version) {
        if (rules == null || !rules.isArray()) {
            return false;
        }
        for (JsonNode rule : rules) {
            if (contains(rule.get("operations"), request.operation().name())
                    && contains(rule.get("apiGroups"), request.group())
                    && contains(rule.get("apiVersions"), version)
                    && resourceMatches(rule.get("resources"), request)
                    && scopeMatches(Json.text(rule, "scope"), request)) {
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
    private static boolean resourceMatches(JsonNode resources, AdmissionRequest request) {
        if (resources == null || !resources.isArray()) {
            return false;
        }
        String sub = request.subresource();
        for (JsonNode value : resources) {
            String text = value.asString("");
            if (text.equals("*/*")) {
                return true;
            }
            int slash = text.indexOf('/');
            String resource = slash < 0 ? text : text.substring(0, slash);
            String subresource = slash < 0 ? "" : text.substring(slash + 1);
            boolean resourceOk = resource.equals("*") || resource.equals(request.resource());
            boolean subOk = subresource.equals("*") || subresource.equals(sub);
            if (resourceOk && subOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean scopeMatches(String scope, AdmissionRequest request) {
        if (scope == null || scope.equals("*")) {
            return true;
        }
        boolean namespaced = !request.namespace().isEmpty();
        return scope.equals("Namespaced") == namespaced;
    }
}
