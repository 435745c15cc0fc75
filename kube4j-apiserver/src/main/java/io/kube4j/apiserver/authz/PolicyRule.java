package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** One RBAC rule, matched against request attributes exactly as upstream's RuleAllows. */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                         List<String> resourceNames, List<String> nonResourceURLs) {

    public PolicyRule {
        verbs = copy(verbs);
        apiGroups = copy(apiGroups);
        resources = copy(resources);
        resourceNames = copy(resourceNames);
        nonResourceURLs = copy(nonResourceURLs);
    }

    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    public static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.get("verbs")), strings(rule.get("apiGroups")),
                strings(rule.get("resources")), strings(rule.get("resourceNames")),
                strings(rule.get("nonResourceURLs")));
    }

    public static List<PolicyRule> listFromJson(JsonNode rules) {
        List<PolicyRule> result = new ArrayList<>();
        if (rules != null && rules.isArray()) {
            for (JsonNode rule : rules) {
                if (rule.isObject()) {
                    result.add(fromJson(rule));
                }
            }
        }
        return result;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(v -> values.add(v.asString("")));
        }
        return values;
    }

    /** The rule as RBAC JSON, leaving out empty lists as upstream's omitempty does (apiGroups kept for resources). */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        put(node, "verbs", verbs, true);
        put(node, "apiGroups", apiGroups, !resources.isEmpty());
        put(node, "resources", resources, false);
        put(node, "resourceNames", resourceNames, false);
        put(node, "nonResourceURLs", nonResourceURLs, false);
        return node;
    }

    private static void put(ObjectNode node, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) {
            return;
        }
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

    public boolean allows(Attributes attributes) {
        if (attributes.resourceRequest()) {
            return verbMatches(attributes.verb()) && groupMatches(attributes.apiGroup())
                    && resourceMatches(attributes.combinedResource(), attributes.subresource())
                    && nameMatches(attributes.name());
        }
        return verbMatches(attributes.verb()) && urlMatches(attributes.path());
    }

    public boolean verbMatches(String verb) {
        return verbs.contains("*") || verbs.contains(verb);
    }

    public boolean groupMatches(String group) {
        return apiGroups.contains("*") || apiGroups.contains(group);
    }

    public boolean resourceMatches(String combined, String subresource) {
        for (String resource : resources) {
            if (resource.equals("*") || resource.equals(combined)) {
                return true;
            }
            // "*/scale" grants the scale subresource of every resource
            if (!subresource.isEmpty() && resource.length() == subresource.length() + 2
                    && resource.startsWith("*/") && resource.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    public boolean nameMatches(String name) {
        return resourceNames.isEmpty() || (!name.isEmpty() && resourceNames.contains(name));
    }

    public boolean urlMatches(String path) {
        for (String url : nonResourceURLs) {
            if (url.equals("*") || url.equals(path)) {
                return true;
            }
            if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) {
                return true;
            }
        }
        return false;
    }
}
