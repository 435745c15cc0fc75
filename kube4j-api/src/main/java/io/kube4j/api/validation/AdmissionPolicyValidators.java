package io.kube4j.api.validation;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding, as upstream's
 * {@code pkg/apis/admissionregistration/validation} checks their structure: failurePolicy, paramKind,
 * matchConstraints (required, with at least one resource rule), matchConditions, variables, validations and audit
 * annotations of a policy; policyName, paramRef, matchResources and validationActions of a binding. Whether the CEL
 * expressions compile is the API server's part (kube4j-api has no CEL), added by the resources' strategy.
 */
final class AdmissionPolicyValidators {
    private AdmissionPolicyValidators() {
    }

    private static final String GROUP = "admissionregistration.k8s.io";
    private static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
    private static final List<String> MATCH_POLICIES = List.of("Equivalent", "Exact");
    private static final List<String> VALIDATION_ACTIONS = List.of("Audit", "Deny", "Warn");
    private static final List<String> REASONS = List.of("Forbidden", "Invalid", "RequestEntityTooLarge",
            "Unauthorized");
    private static final List<String> NOT_FOUND_ACTIONS = List.of("Deny", "Allow");
    private static final int MAX_MATCH_CONDITIONS = 64;
    private static final int MAX_AUDIT_ANNOTATIONS = 20;
    private static final int MAX_VALUE_EXPRESSION_BYTES = 5 * 1024;
    private static final Pattern CEL_IDENTIFIER = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");
    /** CEL's reserved words, which a variable cannot be named. */
    private static final Set<String> CEL_RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");

    static void register(Map<String, Validator> into) {
        into.put(GROUP + "/ValidatingAdmissionPolicy", new Policy());
        into.put(GROUP + "/ValidatingAdmissionPolicyBinding", new Binding());
    }

    private static final class Policy extends KindValidator {
        Policy() {
            super(false, NameFn.DNS_SUBDOMAIN);
        }

        @Override
        void validate(ObjectNode obj, List<FieldError> errs) {
            ObjectNode spec = Json.obj(obj, "spec");
            String failurePolicy = Json.str(spec, "failurePolicy");
            if (failurePolicy == null) {
                errs.add(FieldError.required("spec.failurePolicy", ""));
            } else {
                Checks.optionalOneOf(failurePolicy, FAILURE_POLICIES, "spec.failurePolicy", errs);
            }
            ObjectNode paramKind = Json.obj(spec, "paramKind");
            if (paramKind != null) {
                paramKind(paramKind, errs);
            }
            ObjectNode constraints = Json.obj(spec, "matchConstraints");
            if (constraints == null) {
                errs.add(FieldError.required("spec.matchConstraints", ""));
            } else {
                matchResources(constraints, "spec.matchConstraints", errs);
                // at least one resource rule: it is what gives the expressions their types
                if (Json.arr(constraints, "resourceRules").isEmpty()) {
                    errs.add(FieldError.required("spec.matchConstraints.resourceRules", ""));
                }
            }
            matchConditions(spec, "spec.matchConditions", errs);
            List<JsonNode> variables = Json.arr(spec, "variables");
            for (int i = 0; i < variables.size(); i++) {
                variable(variables.get(i), Paths.index("spec.variables", i), errs);
            }
            List<JsonNode> validations = Json.arr(spec, "validations");
            List<JsonNode> annotations = Json.arr(spec, "auditAnnotations");
            if (validations.isEmpty() && annotations.isEmpty()) {
                String detail = "validations or auditAnnotations must contain at least one item";
                errs.add(FieldError.required("spec.validations", detail));
                errs.add(FieldError.required("spec.auditAnnotations", detail));
                return;
            }
            for (int i = 0; i < validations.size(); i++) {
                validation(validations.get(i), Paths.index("spec.validations", i), errs);
            }
            if (annotations.size() > MAX_AUDIT_ANNOTATIONS) {
                errs.add(FieldError.invalid("spec.auditAnnotations", FieldError.OMIT,
                        "must not have more than " + MAX_AUDIT_ANNOTATIONS + " auditAnnotations"));
            }
            Set<String> keys = new HashSet<>();
            String policyName = Json.strOr(Json.obj(obj, "metadata"), "name", "");
            for (int i = 0; i < annotations.size(); i++) {
                String path = Paths.index("spec.auditAnnotations", i);
                String key = Json.strOr(annotations.get(i), "key", "");
                auditAnnotation(annotations.get(i), policyName, path, errs);
                if (!keys.add(key)) {
                    errs.add(FieldError.duplicate(Paths.child(path, "key"), key));
                }
            }
        }
    }

    private static final class Binding extends KindValidator {
        Binding() {
            super(false, NameFn.DNS_SUBDOMAIN);
        }

        @Override
        void validate(ObjectNode obj, List<FieldError> errs) {
            ObjectNode spec = Json.obj(obj, "spec");
            String policyName = Json.strOr(spec, "policyName", "");
            if (policyName.isEmpty()) {
                errs.add(FieldError.required("spec.policyName", ""));
            } else {
                Checks.dns1123Subdomain(policyName, "spec.policyName", errs);
            }
            ObjectNode paramRef = Json.obj(spec, "paramRef");
            if (paramRef != null) {
                paramRef(paramRef, errs);
            }
            ObjectNode match = Json.obj(spec, "matchResources");
            if (match != null) {
                matchResources(match, "spec.matchResources", errs);
            }
            validationActions(Json.strs(spec, "validationActions"), errs);
        }
    }

    private static void paramKind(ObjectNode paramKind, List<FieldError> errs) {
        String apiVersion = Json.strOr(paramKind, "apiVersion", "");
        String path = "spec.paramKind.apiVersion";
        if (apiVersion.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        } else if (apiVersion.chars().filter(c -> c == '/').count() > 1) {
            errs.add(FieldError.invalid(path, apiVersion, "unexpected GroupVersion string: " + apiVersion));
        } else if (!apiVersion.equals("/")) {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            List<String> groupProblems = group.isEmpty() ? List.of() : NameValidation.isDns1123Subdomain(group);
            if (!groupProblems.isEmpty()) {
                errs.add(FieldError.invalid(path, group, String.join(",", groupProblems)));
            }
            if (version.isEmpty()) {
                errs.add(FieldError.invalid(path, apiVersion, "version must be specified"));
            } else if (!NameValidation.isDns1035Label(version).isEmpty()) {
                errs.add(FieldError.invalid(path, version, String.join(",", NameValidation.isDns1035Label(version))));
            }
        }
        String kind = Json.strOr(paramKind, "kind", "");
        if (kind.isEmpty()) {
            errs.add(FieldError.required("spec.paramKind.kind", ""));
        } else {
            List<String> problems = NameValidation.isDns1035Label(kind.toLowerCase(java.util.Locale.ROOT));
            if (!problems.isEmpty()) {
                errs.add(FieldError.invalid("spec.paramKind.kind", kind,
                        "may have mixed case, but should otherwise match: " + String.join(",", problems)));
            }
        }
    }

    /** Upstream's validateMatchResources: selectors and matchPolicy are required (defaulting sets them). */
    private static void matchResources(ObjectNode match, String path, List<FieldError> errs) {
        String matchPolicy = Json.str(match, "matchPolicy");
        if (matchPolicy == null) {
            errs.add(FieldError.required(Paths.child(path, "matchPolicy"), ""));
        } else {
            Checks.optionalOneOf(matchPolicy, MATCH_POLICIES, Paths.child(path, "matchPolicy"), errs);
        }
        for (String selector : new String[] {"namespaceSelector", "objectSelector"}) {
            ObjectNode value = Json.obj(match, selector);
            if (value == null) {
                errs.add(FieldError.required(Paths.child(path, selector), ""));
            } else {
                LabelSelectors.validate(value, Paths.child(path, selector), errs);
            }
        }
        for (String rules : new String[] {"resourceRules", "excludeResourceRules"}) {
            List<JsonNode> list = Json.arr(match, rules);
            for (int i = 0; i < list.size(); i++) {
                namedRule(list.get(i), Paths.index(Paths.child(path, rules), i), errs);
            }
        }
    }

    private static void namedRule(JsonNode rule, String path, List<FieldError> errs) {
        List<String> names = Json.strs(rule, "resourceNames");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String at = Paths.index(Paths.child(path, "resourceNames"), i);
            for (String problem : PathSegments.isValidPathSegmentName(names.get(i), false)) {
                errs.add(FieldError.invalid(at, names.get(i), problem));
            }
            if (!seen.add(names.get(i))) {
                errs.add(FieldError.duplicate(at, names.get(i)));
            }
        }
        WebhookConfigurationValidators.rule(rule, path, errs);
    }

    /**
     * The matchConditions of {@code owner} (a policy's spec, or a webhook) at {@code field}, as upstream's
     * validateMatchConditions: at most 64, each with an expression and a unique qualified name. Whether the
     * expressions compile is the API server's check (kube4j-api has no CEL).
     */
    static void matchConditions(ObjectNode owner, String field, List<FieldError> errs) {
        List<JsonNode> conditions = Json.arr(owner, "matchConditions");
        if (conditions.size() > MAX_MATCH_CONDITIONS) {
            errs.add(FieldError.tooMany(field, conditions.size(), MAX_MATCH_CONDITIONS));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            String path = Paths.index(field, i);
            JsonNode condition = conditions.get(i);
            if (Json.strOr(condition, "expression", "").isBlank()) {
                errs.add(FieldError.required(Paths.child(path, "expression"), ""));
            }
            String name = Json.strOr(condition, "name", "");
            if (name.isEmpty()) {
                errs.add(FieldError.required(Paths.child(path, "name"), ""));
            } else {
                Checks.qualifiedName(name, Paths.child(path, "name"), errs);
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(Paths.child(path, "name"), name));
                }
            }
        }
    }

    private static void variable(JsonNode variable, String path, List<FieldError> errs) {
        String name = Json.strOr(variable, "name", "");
        if (name.isBlank()) {
            errs.add(FieldError.required(Paths.child(path, "name"), "name is not specified"));
        } else if (!isCelIdentifier(name)) {
            errs.add(FieldError.invalid(Paths.child(path, "name"), name, "name is not a valid CEL identifier"));
        }
        if (Json.strOr(variable, "expression", "").isBlank()) {
            errs.add(FieldError.required(Paths.child(path, "expression"), "expression is not specified"));
        }
    }

    private static void validation(JsonNode validation, String path, List<FieldError> errs) {
        if (Json.strOr(validation, "expression", "").isBlank()) {
            errs.add(FieldError.required(Paths.child(path, "expression"), "expression is not specified"));
        }
        String messageExpression = Json.strOr(validation, "messageExpression", "");
        if (!messageExpression.isEmpty() && messageExpression.isBlank()) {
            errs.add(FieldError.invalid(Paths.child(path, "messageExpression"), messageExpression,
                    "must be non-empty if specified"));
        }
        String message = Json.strOr(validation, "message", "");
        if (!message.isEmpty() && message.isBlank()) {
            errs.add(FieldError.invalid(Paths.child(path, "message"), message,
                    "message must be non-empty if specified"));
        } else if (message.strip().contains("\n") || message.strip().contains("\r")) {
            errs.add(FieldError.invalid(Paths.child(path, "message"), message, "message must not contain line breaks"));
        }
        String reason = Json.str(validation, "reason");
        if (reason != null && !REASONS.contains(reason)) {
            errs.add(FieldError.notSupported(Paths.child(path, "reason"), reason, REASONS));
        }
    }

    private static void auditAnnotation(JsonNode annotation, String policyName, String path, List<FieldError> errs) {
        String key = Json.strOr(annotation, "key", "");
        if (policyName.isEmpty()) {
            errs.add(FieldError.invalid(Paths.child(path, "key"), key, "requires metadata.name be non-empty"));
        } else {
            Checks.qualifiedName(policyName + "/" + key, Paths.child(path, "key"), errs);
        }
        String value = Json.strOr(annotation, "valueExpression", "").strip();
        if (value.isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "valueExpression"), "valueExpression is not specified"));
        } else if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_EXPRESSION_BYTES) {
            errs.add(FieldError.required(Paths.child(path, "valueExpression"),
                    "must not exceed " + MAX_VALUE_EXPRESSION_BYTES + " bytes in length"));
        }
    }

    private static void paramRef(ObjectNode ref, List<FieldError> errs) {
        String name = Json.strOr(ref, "name", "");
        ObjectNode selector = Json.obj(ref, "selector");
        if (!name.isEmpty()) {
            for (String problem : PathSegments.isValidPathSegmentName(name, false)) {
                errs.add(FieldError.invalid("spec.paramRef.name", name, problem));
            }
            if (selector != null) {
                errs.add(FieldError.forbidden("spec.paramRef.name", "name and selector are mutually exclusive"));
            }
        }
        String namespace = Json.strOr(ref, "namespace", "");
        if (!namespace.isEmpty()) {
            Checks.dns1123Label(namespace, "spec.paramRef.namespace", errs);
        }
        if (selector != null) {
            LabelSelectors.validate(selector, "spec.paramRef.selector", errs);
            if (!name.isEmpty()) {
                errs.add(FieldError.forbidden("spec.paramRef.selector", "name and selector are mutually exclusive"));
            }
        }
        if (name.isEmpty() && selector == null) {
            errs.add(FieldError.required("spec.paramRef", "one of name or selector must be specified"));
        }
        String action = Json.strOr(ref, "parameterNotFoundAction", "");
        if (action.isEmpty()) {
            errs.add(FieldError.required("spec.paramRef.parameterNotFoundAction", ""));
        } else if (!NOT_FOUND_ACTIONS.contains(action)) {
            errs.add(FieldError.notSupported("spec.paramRef.parameterNotFoundAction", action, NOT_FOUND_ACTIONS));
        }
    }

    private static void validationActions(List<String> actions, List<FieldError> errs) {
        String path = "spec.validationActions";
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < actions.size(); i++) {
            String action = actions.get(i);
            if (!VALIDATION_ACTIONS.contains(action)) {
                errs.add(FieldError.notSupported(Paths.index(path, i), action, VALIDATION_ACTIONS));
            }
            if (!seen.add(action)) {
                errs.add(FieldError.duplicate(Paths.index(path, i), action));
            }
        }
        if (seen.contains("Deny") && seen.contains("Warn")) {
            errs.add(FieldError.invalid(path, actions, "must not contain both Deny and Warn (repeating the same "
                    + "validation failure information in the API response and headers serves no purpose)"));
        }
        if (seen.isEmpty()) {
            errs.add(FieldError.required(path, "at least one validation action is required"));
        }
    }

    private static boolean isCelIdentifier(String name) {
        return CEL_IDENTIFIER.matcher(name).matches() && !CEL_RESERVED.contains(name);
    }
}
