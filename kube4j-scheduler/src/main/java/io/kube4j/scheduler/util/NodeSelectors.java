package io.kube4j.scheduler.util;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;

import java.util.List;
import java.util.Map;

/** Matching of nodes against v1.NodeSelector terms (ORed terms, ANDed requirements). */
public final class NodeSelectors {
    private NodeSelectors() {}

    public static boolean matches(NodeSelector selector, Node node) {
        return matches(selector, node.getMetadata().getLabels(), node.getMetadata().getName());
    }

    /** As {@link #matches(NodeSelector, Node)} on a node's labels (null: none) and name, as the scheduler keeps them. */
    public static boolean matches(NodeSelector selector, Map<String, String> labels, String nodeName) {
        if (selector == null) return true;
        List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
        if (terms == null) return false;
        for (NodeSelectorTerm t : terms) {
            if (matchesTerm(t, labels, nodeName)) return true;
        }
        return false;
    }

    /** An empty term matches no node, as upstream. */
    public static boolean matchesTerm(NodeSelectorTerm term, Node node) {
        return matchesTerm(term, node.getMetadata().getLabels(), node.getMetadata().getName());
    }

    public static boolean matchesTerm(NodeSelectorTerm term, Map<String, String> labels, String nodeName) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        boolean noExprs = exprs == null || exprs.isEmpty();
        boolean noFields = fields == null || fields.isEmpty();
        if (noExprs && noFields) return false;
        if (!noExprs) {
            for (NodeSelectorRequirement r : exprs) {
                // The scheduler's label maps are immutable ones, which throw on a null key: no key, no value.
                if (!matchesRequirement(r, labels == null || r.getKey() == null ? null : labels.get(r.getKey()))) return false;
            }
        }
        if (!noFields) {
            for (NodeSelectorRequirement r : fields) {
                // metadata.name is the only supported node field.
                if (!"metadata.name".equals(r.getKey())) return false;
                if (!matchesRequirement(r, nodeName)) return false;
            }
        }
        return true;
    }

    static boolean matchesRequirement(NodeSelectorRequirement r, String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        switch (r.getOperator()) {
            case "In": return value != null && values.contains(value);
            case "NotIn": return value == null || !values.contains(value);
            case "Exists": return value != null;
            case "DoesNotExist": return value == null;
            case "Gt":
            case "Lt":
                if (value == null || values.size() != 1) return false;
                try {
                    long have = Long.parseLong(value);
                    long want = Long.parseLong(values.get(0));
                    return "Gt".equals(r.getOperator()) ? have > want : have < want;
                } catch (NumberFormatException e) {
                    return false;
                }
            default: return false;
        }
    }

    /** pod.spec.nodeSelector: every key must equal. */
    public static boolean matchesNodeSelectorMap(Map<String, String> selector, Node node) {
        return matchesNodeSelectorMap(selector, node.getMetadata().getLabels());
    }

    /** pod.spec.nodeSelector against a node's labels (null: none). */
    public static boolean matchesNodeSelectorMap(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) return true;
        if (labels == null) return false;
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        return true;
    }
}
