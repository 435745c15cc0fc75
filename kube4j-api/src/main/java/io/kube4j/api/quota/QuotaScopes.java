package io.kube4j.api.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which objects a ResourceQuota's scopes cover, as upstream's quota evaluators decide it, for the ResourceQuota
 * admission plugin (quotas and pods as JSON) and the resourcequota controller (fabric8 objects): {@code spec.scopes}
 * and {@code spec.scopeSelector} become one list of requirements (getScopeSelectorsFromQuota), all of which must
 * match (podMatchesScopeFunc). Only pods have scopes: every other kind's evaluator matches no scope, so a scoped
 * quota covers pods alone.
 */
public final class QuotaScopes {
    private static final String PRIORITY_CLASS = "PriorityClass";

    /** One requirement of a quota's scopes: a scope name, an operator and the values In/NotIn compare with. */
    public record Requirement(String scopeName, String operator, List<String> values) {
    }

    /** What the scopes look at in a pod, read from either representation. */
    public record ScopedPod(String priorityClassName, Long activeDeadlineSeconds, boolean bestEffort,
                            boolean crossNamespaceAffinity) {

        public static ScopedPod of(io.fabric8.kubernetes.api.model.Pod pod) {
            var spec = pod.getSpec();
            if (spec == null) {
                return new ScopedPod(null, null, true, false);
            }
            boolean bestEffort = true;
            List<Container> all = new ArrayList<>(spec.getContainers() == null ? List.of() : spec.getContainers());
            if (spec.getInitContainers() != null) {
                all.addAll(spec.getInitContainers());
            }
            for (Container c : all) {
                if (c.getResources() != null && (qosDeclared(c.getResources().getRequests())
                        || qosDeclared(c.getResources().getLimits()))) {
                    bestEffort = false;
                }
            }
            boolean cross = false;
            var affinity = spec.getAffinity();
            if (affinity != null) {
                if (affinity.getPodAffinity() != null) {
                    cross = crossNamespace(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                            affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
                }
                if (affinity.getPodAntiAffinity() != null) {
                    cross |= crossNamespace(
                            affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                            affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
                }
            }
            return new ScopedPod(spec.getPriorityClassName(), spec.getActiveDeadlineSeconds(), bestEffort, cross);
        }

        public static ScopedPod of(JsonNode pod) {
            JsonNode spec = pod.path("spec");
            boolean bestEffort = true;
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : spec.path(list)) {
                    if (qosDeclared(c.path("resources").path("requests")) || qosDeclared(c.path("resources").path("limits"))) {
                        bestEffort = false;
                    }
                }
            }
            boolean cross = false;
            for (String kind : List.of("podAffinity", "podAntiAffinity")) {
                JsonNode affinity = spec.path("affinity").path(kind);
                for (JsonNode term : affinity.path("requiredDuringSchedulingIgnoredDuringExecution")) {
                    cross |= crossNamespace(term);
                }
                for (JsonNode weighted : affinity.path("preferredDuringSchedulingIgnoredDuringExecution")) {
                    cross |= crossNamespace(weighted.path("podAffinityTerm"));
                }
            }
            JsonNode deadline = spec.path("activeDeadlineSeconds");
            return new ScopedPod(spec.path("priorityClassName").asString(null),
                    deadline.isNumber() ? deadline.asLong() : null, bestEffort, cross);
        }
    }

    private QuotaScopes() {
    }

    /** Upstream's getScopeSelectorsFromQuota: each of spec.scopes as an Exists requirement, then the selector's. */
    public static List<Requirement> of(List<String> scopes, List<Requirement> selector) {
        List<Requirement> all = new ArrayList<>();
        if (scopes != null) {
            scopes.forEach(scope -> all.add(new Requirement(scope, "Exists", List.of())));
        }
        if (selector != null) {
            all.addAll(selector);
        }
        return all;
    }

    public static List<Requirement> of(io.fabric8.kubernetes.api.model.ResourceQuota quota) {
        var spec = quota.getSpec();
        if (spec == null) {
            return List.of();
        }
        List<Requirement> selector = new ArrayList<>();
        if (spec.getScopeSelector() != null && spec.getScopeSelector().getMatchExpressions() != null) {
            spec.getScopeSelector().getMatchExpressions().forEach(e -> selector.add(new Requirement(e.getScopeName(),
                    e.getOperator(), e.getValues() == null ? List.of() : e.getValues())));
        }
        return of(spec.getScopes(), selector);
    }

    public static List<Requirement> of(JsonNode quota) {
        JsonNode spec = quota.path("spec");
        List<String> scopes = new ArrayList<>();
        spec.path("scopes").forEach(s -> scopes.add(s.asString("")));
        List<Requirement> selector = new ArrayList<>();
        for (JsonNode e : spec.path("scopeSelector").path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asString("")));
            selector.add(new Requirement(e.path("scopeName").asString(""), e.path("operator").asString(""), values));
        }
        return of(scopes, selector);
    }

    /** Whether a pod matches every requirement (none matches every pod). */
    public static boolean podMatches(List<Requirement> requirements, ScopedPod pod) {
        for (Requirement r : requirements) {
            if (!podMatches(r, pod)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Upstream's podMatchesScopeFunc. Validation allows only Exists with the scopes other than PriorityClass, so
     * their operator is not looked at; PriorityClass is a label selector over {@code PriorityClass=<class name>}.
     */
    private static boolean podMatches(Requirement r, ScopedPod pod) {
        boolean hasClass = pod.priorityClassName() != null && !pod.priorityClassName().isEmpty();
        return switch (r.scopeName()) {
            case "Terminating" -> terminating(pod);
            case "NotTerminating" -> !terminating(pod);
            case "BestEffort" -> pod.bestEffort();
            case "NotBestEffort" -> !pod.bestEffort();
            case "CrossNamespacePodAffinity" -> pod.crossNamespaceAffinity();
            case PRIORITY_CLASS -> switch (r.operator()) {
                case "In" -> hasClass && r.values().contains(pod.priorityClassName());
                case "NotIn" -> !hasClass || !r.values().contains(pod.priorityClassName());
                case "Exists" -> hasClass;
                case "DoesNotExist" -> !hasClass;
                default -> false;
            };
            default -> false;
        };
    }

    /** Upstream's isTerminating: an activeDeadlineSeconds bounds the pod's life. */
    private static boolean terminating(ScopedPod pod) {
        return pod.activeDeadlineSeconds() != null && pod.activeDeadlineSeconds() >= 0;
    }

    /** Whether a request or limit list sets a non-zero cpu or memory, which makes the pod's QoS class not BestEffort. */
    private static boolean qosDeclared(Map<String, Quantity> resources) {
        if (resources == null) {
            return false;
        }
        for (String name : List.of("cpu", "memory")) {
            Quantity q = resources.get(name);
            if (q != null && q.getNumericalAmount().signum() > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean qosDeclared(JsonNode resources) {
        for (String name : List.of("cpu", "memory")) {
            JsonNode q = resources.path(name);
            if (!q.isMissingNode() && !q.isNull() && positive(q)) {
                return true;
            }
        }
        return false;
    }

    private static boolean positive(JsonNode quantity) {
        try {
            return io.kube4j.api.quantity.Quantity.fromJson(quantity).signum() > 0;
        } catch (RuntimeException invalid) {
            return false;
        }
    }

    private static boolean crossNamespace(List<PodAffinityTerm> required, List<WeightedPodAffinityTerm> preferred) {
        boolean cross = false;
        if (required != null) {
            for (PodAffinityTerm t : required) {
                cross |= t.getNamespaces() != null && !t.getNamespaces().isEmpty() || t.getNamespaceSelector() != null;
            }
        }
        if (preferred != null) {
            for (WeightedPodAffinityTerm w : preferred) {
                PodAffinityTerm t = w.getPodAffinityTerm();
                cross |= t != null && (t.getNamespaces() != null && !t.getNamespaces().isEmpty()
                        || t.getNamespaceSelector() != null);
            }
        }
        return cross;
    }

    /** Upstream's crossNamespacePodAffinityTerm: the term names namespaces or selects them. */
    private static boolean crossNamespace(JsonNode term) {
        return !term.path("namespaces").isEmpty() || term.has("namespaceSelector") && !term.path("namespaceSelector").isNull();
    }
}
