package io.kube4j.api.validation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 ResourceQuota, as upstream's ValidateResourceQuota, ValidateResourceQuotaUpdate and
 * ValidateResourceQuotaStatusUpdate: the names in {@code spec.hard} (and in {@code status.hard}/{@code status.used}
 * on status writes) are quota resource names with non-negative quantities, whole numbers for counts and extended
 * resources; {@code spec.scopes} and {@code spec.scopeSelector} name known scopes that suit every standard resource
 * limited and do not contradict each other; {@code spec.scopes} cannot change on update.
 */
final class ResourceQuotaValidator extends KindValidator {
    static final String INVALID_QUOTA_RESOURCE = "must be a standard resource for quota";
    private static final String SCOPE_TYPE = "[]core.ResourceQuotaScope";
    private static final String REQUIREMENT_TYPE = "core.ScopedResourceSelectorRequirement";

    /** Upstream's standardResourceQuotaScopes plus CrossNamespacePodAffinity (GA). */
    private static final Set<String> SCOPES = Set.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
            "PriorityClass", "CrossNamespacePodAffinity");
    /** The scopes a scope selector may use only with Exists. */
    private static final Set<String> EXISTS_ONLY = Set.of("BestEffort", "NotBestEffort", "Terminating",
            "NotTerminating", "CrossNamespacePodAffinity");
    private static final List<List<String>> CONFLICTING = List.of(List.of("BestEffort", "NotBestEffort"),
            List.of("Terminating", "NotTerminating"));
    /** Upstream's podComputeQuotaResources. */
    private static final Set<String> POD_COMPUTE = Set.of("cpu", "memory", "limits.cpu", "limits.memory",
            "requests.cpu", "requests.memory");
    /** Upstream's standardQuotaResources (hugepages apart). */
    private static final Set<String> QUOTA_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
            "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
            "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers");
    /** Upstream's standardResources (hugepages apart): the names without a domain any resource list may use. */
    private static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
            "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
            "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
            "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers");
    /** Upstream's integerResources (besides extended resources). */
    private static final Set<String> INTEGER_RESOURCES = Set.of("pods", "resourcequotas", "services",
            "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
            "services.loadbalancers");
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    ResourceQuotaValidator() {
        super(true, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode quota, List<FieldError> errs) {
        spec(Json.obj(quota, "spec"), errs);
        // empty on create in practice: the strategy drops the status a client sends
        status(Json.obj(quota, "status"), errs);
    }

    /** The spec rules, then {@code spec.scopes} compared as a set with the stored one; the status is the stored one. */
    @Override
    void validateForUpdate(ObjectNode quota, ObjectNode old, List<FieldError> errs) {
        ObjectNode spec = Json.obj(quota, "spec");
        spec(spec, errs);
        List<String> scopes = Json.strs(spec, "scopes");
        if (!new TreeSet<>(scopes).equals(new TreeSet<>(Json.strs(Json.obj(old, "spec"), "scopes")))) {
            errs.add(FieldError.invalid("spec.scopes", scopeList(spec), ObjectMetaValidation.IMMUTABLE));
        }
    }

    /** A status write keeps the stored spec: only the status's names and quantities are checked. */
    @Override
    void validateStatusForUpdate(ObjectNode quota, ObjectNode old, List<FieldError> errs) {
        status(Json.obj(quota, "status"), errs);
    }

    private static void spec(ObjectNode spec, List<FieldError> errs) {
        ObjectNode hard = Json.obj(spec, "hard");
        resourceList(hard, "spec.hard", errs);
        Set<String> names = hard == null ? Set.of() : new TreeSet<>(hard.propertyNames());
        scopes(spec, names, errs);
        scopeSelector(spec, names, errs);
    }

    private static void status(ObjectNode status, List<FieldError> errs) {
        resourceList(Json.obj(status, "hard"), "status.hard", errs);
        resourceList(Json.obj(status, "used"), "status.used", errs);
    }

    /** Each name of a resource list (in name order; upstream walks a Go map) and its quantity. */
    private static void resourceList(ObjectNode list, String path, List<FieldError> errs) {
        if (list == null) {
            return;
        }
        Map<String, JsonNode> sorted = new TreeMap<>();
        list.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((name, value) -> {
            String p = Paths.key(path, name);
            resourceName(name, p, errs);
            quantity(name, value, p, errs);
        });
    }

    /** Upstream's ValidateResourceQuotaResourceName (validateResourceName first, whose errors do not stop it). */
    private static void resourceName(String name, String path, List<FieldError> errs) {
        List<String> problems = NameValidation.isQualifiedName(name);
        for (String m : problems) {
            errs.add(FieldError.invalid(path, name, m));
        }
        boolean qualified = name.contains("/");
        if (problems.isEmpty() && !qualified && !STANDARD_RESOURCES.contains(name) && !hugePages(name)) {
            errs.add(FieldError.invalid(path, name, "must be a standard resource type or fully qualified"));
        }
        if (!qualified && !standardQuotaResource(name)) {
            errs.add(FieldError.invalid(path, name, INVALID_QUOTA_RESOURCE));
        }
    }

    /** Upstream's ValidateResourceQuantityValue: not negative, and whole for counts and extended resources. */
    private static void quantity(String name, JsonNode value, String path, List<FieldError> errs) {
        BigDecimal q = QuantitySyntax.parse(value);
        String text = QuantitySyntax.canonical(value);
        if (q == null) {
            errs.add(FieldError.invalid(path, text, QuantitySyntax.FORMAT_ERROR));
            return;
        }
        if (q.signum() < 0) {
            errs.add(FieldError.invalid(path, text, "must be greater than or equal to 0"));
        }
        if ((INTEGER_RESOURCES.contains(name) || extendedResource(name)) && !whole(q)) {
            errs.add(FieldError.invalid(path, new GoFormat.Raw(text), "must be an integer"));
        }
    }

    /**
     * Upstream checks {@code MilliValue() % 1000}: the value in thousandths rounded away from zero, so a value less
     * than a thousandth short of a whole number passes. Beyond what thousandths in an int64 hold, the exact value.
     */
    private static boolean whole(BigDecimal q) {
        BigDecimal milli = q.multiply(THOUSAND).setScale(0, RoundingMode.UP);
        if (milli.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return milli.longValueExact() % 1000 == 0;
        }
        return q.stripTrailingZeros().scale() <= 0;
    }

    /** Upstream's validateResourceQuotaScopes: every bad value is the whole scope list. */
    private static void scopes(ObjectNode spec, Set<String> hard, List<FieldError> errs) {
        List<String> scopes = Json.strs(spec, "scopes");
        if (scopes.isEmpty()) {
            return;
        }
        Object value = scopeList(spec);
        for (String scope : scopes) {
            if (!SCOPES.contains(scope)) {
                errs.add(FieldError.invalid("spec.scopes", value, "unsupported scope"));
            }
            for (String name : hard) {
                if (standardQuotaResource(name) && !scopeSuits(scope, name)) {
                    errs.add(FieldError.invalid("spec.scopes", value, "unsupported scope applied to resource"));
                }
            }
        }
        conflicts(new TreeSet<>(scopes), "spec.scopes", value, errs);
    }

    /** Upstream's validateScopedResourceSelectorRequirement; its paths name no index. */
    private static void scopeSelector(ObjectNode spec, Set<String> hard, List<FieldError> errs) {
        ObjectNode selector = Json.obj(spec, "scopeSelector");
        if (selector == null) {
            return;
        }
        String path = "spec.scopeSelector.matchExpressions";
        Set<String> used = new TreeSet<>();
        for (ObjectNode req : Json.objs(selector, "matchExpressions")) {
            String scope = Json.strOr(req, "scopeName", "");
            String operator = Json.strOr(req, "operator", "");
            List<String> values = Json.strs(req, "values");
            if (!SCOPES.contains(scope)) {
                errs.add(FieldError.invalid(Paths.child(path, "scopeName"), scope, "unsupported scope"));
            }
            for (String name : hard) {
                if (standardQuotaResource(name) && !scopeSuits(scope, name)) {
                    errs.add(FieldError.invalid(path, selectorValue(selector),
                            "unsupported scope applied to resource"));
                }
            }
            if (EXISTS_ONLY.contains(scope) && !operator.equals("Exists")) {
                errs.add(FieldError.invalid(Paths.child(path, "operator"), operator,
                        "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, "
                        + "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
                        + "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
            }
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.add(FieldError.required(Paths.child(path, "values"),
                                "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.add(FieldError.invalid(Paths.child(path, "values"), values,
                                "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
                    }
                }
                default -> errs.add(FieldError.invalid(Paths.child(path, "operator"), operator,
                        "not a valid selector operator"));
            }
            used.add(scope);
        }
        // upstream names spec.scopes as the bad value of a selector's conflict
        conflicts(used, path, scopeList(spec), errs);
    }

    private static void conflicts(Set<String> scopes, String path, Object value, List<FieldError> errs) {
        for (List<String> pair : CONFLICTING) {
            if (scopes.containsAll(pair)) {
                errs.add(FieldError.invalid(path, value, "conflicting scopes"));
            }
        }
    }

    /** Upstream's IsResourceQuotaScopeValidForResource. */
    private static boolean scopeSuits(String scope, String name) {
        return switch (scope) {
            case "Terminating", "NotTerminating", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity" ->
                    name.equals("pods") || POD_COMPUTE.contains(name);
            case "BestEffort" -> name.equals("pods");
            default -> true;
        };
    }

    /** Upstream's IsStandardQuotaResourceName. */
    private static boolean standardQuotaResource(String name) {
        return QUOTA_RESOURCES.contains(name) || hugePages(name);
    }

    /** Upstream's IsQuotaHugePageResourceName. */
    private static boolean hugePages(String name) {
        return name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
    }

    /**
     * Upstream's IsExtendedResourceName: outside kubernetes.io, not already a {@code requests.} name, and a
     * qualified name once prefixed with {@code requests.} (so {@code count/widgets.example.com} is one too).
     */
    private static boolean extendedResource(String name) {
        boolean nativeName = !name.contains("/") || name.contains("kubernetes.io/");
        return !nativeName && !name.startsWith("requests.")
                && NameValidation.isQualifiedName("requests." + name).isEmpty();
    }

    /** spec.scopes as Go prints the slice ({@code %#v}). */
    private static GoFormat.Raw scopeList(ObjectNode spec) {
        JsonNode scopes = Json.node(spec, "scopes");
        if (scopes == null || scopes.isNull()) {
            return new GoFormat.Raw(SCOPE_TYPE + "(nil)");
        }
        return new GoFormat.Raw(SCOPE_TYPE + "{" + String.join(", ", Json.strs(spec, "scopes").stream()
                .map(GoFormat::quote).toList()) + "}");
    }

    /** The scope selector as Go prints the struct ({@code %#v}). */
    private static GoFormat.Raw selectorValue(ObjectNode selector) {
        JsonNode exprs = Json.node(selector, "matchExpressions");
        StringBuilder b = new StringBuilder("core.ScopeSelector{MatchExpressions:[]")
                .append(REQUIREMENT_TYPE);
        if (exprs == null || exprs.isNull()) {
            return new GoFormat.Raw(b.append("(nil)}").toString());
        }
        List<String> items = new ArrayList<>();
        for (ObjectNode req : Json.objs(selector, "matchExpressions")) {
            JsonNode values = Json.node(req, "values");
            String v = values == null || values.isNull() ? "[]string(nil)" : "[]string{" + String.join(", ",
                    Json.strs(req, "values").stream().map(GoFormat::quote).toList()) + "}";
            items.add(REQUIREMENT_TYPE + "{ScopeName:" + GoFormat.quote(Json.strOr(req, "scopeName", ""))
                    + ", Operator:" + GoFormat.quote(Json.strOr(req, "operator", "")) + ", Values:" + v + "}");
        }
        return new GoFormat.Raw(b.append('{').append(String.join(", ", items)).append("}}").toString());
    }
}
