package io.kube4j.api.printers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding printers (pkg/printers/internalversion):
 * a policy's number of validations and its paramKind as {@code apiVersion/kind}; a binding's policy and its paramRef as
 * {@code namespace/name}, {@code * /name} when it names no namespace, or, for a selector, the selector as Go prints the
 * LabelSelector struct - {@code <unset>} for what is not set.
 */
final class AdmissionPolicyPrinters {
    private static final String GROUP = "admissionregistration.k8s.io/";
    private static final String UNSET = "<unset>";

    private AdmissionPolicyPrinters() {
    }

    static void register(Map<String, TablePrinter> into) {
        into.put(GROUP + "ValidatingAdmissionPolicy", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Validations", "Validations indicates the number of validation rules defined in this "
                        + "configuration"),
                Columns.str("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
                Columns.AGE),
                AdmissionPolicyPrinters::policy));
        into.put(GROUP + "ValidatingAdmissionPolicyBinding", new KindPrinter(List.of(Columns.NAME,
                Columns.str("PolicyName", "PolicyName indicates the policy definition which the policy binding binded "
                        + "to"),
                Columns.str("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
                Columns.AGE),
                AdmissionPolicyPrinters::binding));
    }

    private static List<Object> policy(ObjectNode obj, Instant now) {
        JsonNode paramKind = Cells.at(obj, "spec", "paramKind");
        String kind = paramKind != null && paramKind.isObject()
                ? Cells.str(paramKind, "apiVersion") + "/" + Cells.str(paramKind, "kind") : UNSET;
        return List.of(Cells.name(obj), (long) Cells.size(obj, "spec", "validations"), kind, Cells.age(obj, now));
    }

    private static List<Object> binding(ObjectNode obj, Instant now) {
        JsonNode ref = Cells.at(obj, "spec", "paramRef");
        String param = UNSET;
        if (ref != null && ref.isObject()) {
            String name = Cells.str(ref, "name");
            String namespace = Cells.str(ref, "namespace");
            JsonNode selector = ref.get("selector");
            if (!name.isEmpty()) {
                // upstream cannot tell a cluster-scoped param from here, so a name without namespace gets "*"
                param = (namespace.isEmpty() ? "*" : namespace) + "/" + name;
            } else if (selector != null && selector.isObject()) {
                param = goSelector(selector);
            }
        }
        return List.of(Cells.name(obj), Cells.str(obj, "spec", "policyName"), param, Cells.age(obj, now));
    }

    /** The generated String() of metav1.LabelSelector, which upstream's printer shows for a selector paramRef. */
    private static String goSelector(JsonNode selector) {
        StringBuilder out = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
        Map<String, String> labels = new TreeMap<>();
        JsonNode matchLabels = selector.get("matchLabels");
        if (matchLabels != null && matchLabels.isObject()) {
            for (var entry : matchLabels.properties()) {
                labels.put(entry.getKey(), entry.getValue().asString(""));
            }
        }
        labels.forEach((key, value) -> out.append(key).append(": ").append(value).append(','));
        out.append("},MatchExpressions:[]LabelSelectorRequirement{");
        for (JsonNode requirement : Cells.list(selector, "matchExpressions")) {
            List<String> values = new ArrayList<>();
            Cells.list(requirement, "values").forEach(v -> values.add(v.asString("")));
            out.append("LabelSelectorRequirement{Key:").append(Cells.str(requirement, "key"))
                    .append(",Operator:").append(Cells.str(requirement, "operator"))
                    .append(",Values:[").append(String.join(" ", values)).append("],},");
        }
        return out.append("},}").toString();
    }
}
