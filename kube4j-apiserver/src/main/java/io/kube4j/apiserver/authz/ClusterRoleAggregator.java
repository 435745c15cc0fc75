package io.kube4j.apiserver.authz;

import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ClusterRole aggregation, as upstream's clusterrole-aggregation controller: a ClusterRole with an
 * {@code aggregationRule} gets, as its rules, the rules of every other ClusterRole whose labels match one of its
 * {@code clusterRoleSelectors}, in name order, without duplicates. Call {@link #reconcile} whenever ClusterRoles
 * change and write back what it returns.
 */
public final class ClusterRoleAggregator {

    private ClusterRoleAggregator() {
    }

    /** Copies of the aggregated ClusterRoles whose rules differ from what they should be. */
    public static List<ObjectNode> reconcile(List<ObjectNode> clusterRoles) {
        List<ObjectNode> working = new ArrayList<>();
        clusterRoles.forEach(r -> working.add(r.deepCopy()));
        working.sort(Comparator.comparing(r -> String.valueOf(Json.text(r, "metadata", "name"))));
        // aggregated roles may feed others (edit into admin): repeat until nothing changes, as the upstream
        // controller converges by re-queueing; each pass can only add rules, so this ends
        boolean changed = true;
        for (int pass = 0; changed && pass <= working.size(); pass++) {
            changed = false;
            for (ObjectNode role : working) {
                ObjectNode aggregation = Json.obj(role, "aggregationRule");
                if (aggregation == null) {
                    continue;
                }
                ArrayNode wanted = aggregatedRules(role, aggregation, working);
                if (!wanted.equals(role.get("rules"))) {
                    role.set("rules", wanted);
                    changed = true;
                }
            }
        }
        List<ObjectNode> updates = new ArrayList<>();
        for (ObjectNode role : working) {
            if (role.get("aggregationRule") == null) {
                continue;
            }
            String name = Json.text(role, "metadata", "name");
            ObjectNode original = clusterRoles.stream()
                    .filter(r -> name != null && name.equals(Json.text(r, "metadata", "name"))).findFirst()
                    .orElse(null);
            if (original == null || !role.get("rules").equals(original.get("rules"))) {
                updates.add(role);
            }
        }
        return updates;
    }

    /** All ClusterRoles with aggregated ones filled in (for evaluating before the updates are stored). */
    public static List<ObjectNode> aggregate(List<ObjectNode> clusterRoles) {
        List<ObjectNode> result = new ArrayList<>();
        List<ObjectNode> updates = reconcile(clusterRoles);
        for (ObjectNode role : clusterRoles) {
            String name = Json.text(role, "metadata", "name");
            result.add(updates.stream().filter(u -> name != null && name.equals(Json.text(u, "metadata", "name")))
                    .findFirst().orElse(role));
        }
        return result;
    }

    private static ArrayNode aggregatedRules(ObjectNode role, ObjectNode aggregation, List<ObjectNode> all) {
        List<LabelSelector> selectors = new ArrayList<>();
        JsonNode selectorList = aggregation.get("clusterRoleSelectors");
        if (selectorList != null && selectorList.isArray()) {
            for (JsonNode selector : selectorList) {
                try {
                    selectors.add(LabelSelector.fromJson(selector));
                } catch (RuntimeException invalid) {
                    // validation rejects such selectors on write; an old stored one aggregates nothing
                }
            }
        }
        String name = Json.text(role, "metadata", "name");
        Set<JsonNode> rules = new LinkedHashSet<>();
        for (ObjectNode other : all) {
            if (name != null && name.equals(Json.text(other, "metadata", "name"))) {
                continue;
            }
            var labels = Json.stringMap(Json.obj(other, "metadata", "labels"));
            if (selectors.stream().noneMatch(s -> s.matches(labels))) {
                continue;
            }
            for (PolicyRule rule : PolicyRule.listFromJson(other.get("rules"))) {
                rules.add(rule.toJson());
            }
        }
        ArrayNode array = Json.object().arrayNode();
        rules.forEach(array::add);
        return array;
    }
}
