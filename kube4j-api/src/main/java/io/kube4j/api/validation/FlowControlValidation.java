package io.kube4j.api.validation;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's flowcontrol validation (k8s.io/kubernetes/pkg/apis/flowcontrol/validation) for v1 FlowSchemas and
 * PriorityLevelConfigurations, with its messages. Objects arrive as JSON trees with no schema check in front, so a
 * number of the wrong type is an invalid value here rather than a failure later. An update is checked as a new
 * object (upstream's update validation adds nothing to the create rules), a status write too.
 */
final class FlowControlValidation {

    static final String GROUP = "flowcontrol.apiserver.k8s.io";

    static final int MAX_MATCHING_PRECEDENCE = 10_000;
    static final int MAX_QUEUES = 10_000_000;
    /** Upstream's shufflesharding.MaxHashBits: the hash that deals a hand has 64 bits, 60 of them used. */
    static final int MAX_HASH_BITS = 60;

    private static final List<String> DISTINGUISHER_METHODS = List.of("ByNamespace", "ByUser");
    private static final List<String> SUBJECT_KINDS = List.of("Group", "ServiceAccount", "User");
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "proxy", "update", "watch");
    private static final List<String> ENABLEMENTS = List.of("Exempt", "Limited");
    private static final List<String> LIMIT_RESPONSES = List.of("Queue", "Reject");
    private static final String NS_ERR_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";

    private FlowControlValidation() {
    }

    static void register(Map<String, Validator> into) {
        into.put(GROUP + "/FlowSchema", validator(FlowControlValidation::flowSchema));
        into.put(GROUP + "/PriorityLevelConfiguration", validator(FlowControlValidation::priorityLevel));
    }

    private static Validator validator(Function<ObjectNode, List<FieldError>> rules) {
        // unqualified finalizer names are not held to the standard ones (kube4j never has for these kinds, and a
        // move of the rules is no place to change that); upstream's core ValidateObjectMeta holds them
        return new KindValidator(false, NameFn.DNS_SUBDOMAIN, false) {
            @Override
            void validate(ObjectNode obj, List<FieldError> errs) {
                errs.addAll(rules.apply(obj));
            }
        };
    }

    // ---- FlowSchema ----

    static List<FieldError> flowSchema(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        String name = text(obj.path("metadata").get("name"));
        JsonNode spec = obj.get("spec");
        if (!(spec instanceof ObjectNode)) {
            errs.add(FieldError.required("spec.priorityLevelConfiguration.name", "must reference a priority level"));
            return errs;
        }
        Long precedence = integer(spec.get("matchingPrecedence"), "spec.matchingPrecedence", errs);
        if (precedence != null) {
            if (precedence <= 0) {
                errs.add(FieldError.invalid("spec.matchingPrecedence", precedence, "must be a positive value"));
            }
            if (precedence > MAX_MATCHING_PRECEDENCE) {
                errs.add(FieldError.invalid("spec.matchingPrecedence", precedence,
                        "must not be greater than " + MAX_MATCHING_PRECEDENCE));
            }
            if (precedence == 1 && !"exempt".equals(name)) {
                errs.add(FieldError.invalid("spec.matchingPrecedence", precedence,
                        "only the schema named 'exempt' may have matchingPrecedence 1"));
            }
        }
        JsonNode method = spec.get("distinguisherMethod");
        if (method != null && !method.isNull()) {
            String type = text(method.get("type"));
            if (!DISTINGUISHER_METHODS.contains(type)) {
                errs.add(FieldError.notSupported("spec.distinguisherMethod.type", type, DISTINGUISHER_METHODS));
            }
        }
        String level = text(spec.path("priorityLevelConfiguration").get("name"));
        if (level.isEmpty()) {
            errs.add(FieldError.required("spec.priorityLevelConfiguration.name", "must reference a priority level"));
        } else {
            for (String m : NameValidation.isDns1123Subdomain(level)) {
                errs.add(FieldError.invalid("spec.priorityLevelConfiguration.name", level, m));
            }
        }
        List<JsonNode> rules = list(spec.get("rules"), "spec.rules", errs);
        for (int i = 0; i < rules.size(); i++) {
            policyRule(rules.get(i), "spec.rules[" + i + "]", errs);
        }
        conditions(obj, errs);
        return errs;
    }

    private static void policyRule(JsonNode rule, String path, List<FieldError> errs) {
        List<JsonNode> subjects = list(rule.get("subjects"), path + ".subjects", errs);
        if (subjects.isEmpty()) {
            errs.add(FieldError.required(path + ".subjects", "subjects must contain at least one value"));
        }
        for (int i = 0; i < subjects.size(); i++) {
            subject(subjects.get(i), path + ".subjects[" + i + "]", errs);
        }
        List<JsonNode> resourceRules = list(rule.get("resourceRules"), path + ".resourceRules", errs);
        List<JsonNode> nonResourceRules = list(rule.get("nonResourceRules"), path + ".nonResourceRules", errs);
        if (resourceRules.isEmpty() && nonResourceRules.isEmpty()) {
            errs.add(FieldError.required(path, "at least one of resourceRules and nonResourceRules has to be non-empty"));
        }
        for (int i = 0; i < resourceRules.size(); i++) {
            resourceRule(resourceRules.get(i), path + ".resourceRules[" + i + "]", errs);
        }
        for (int i = 0; i < nonResourceRules.size(); i++) {
            nonResourceRule(nonResourceRules.get(i), path + ".nonResourceRules[" + i + "]", errs);
        }
    }

    private static void subject(JsonNode subject, String path, List<FieldError> errs) {
        String kind = text(subject.get("kind"));
        boolean hasUser = present(subject.get("user"));
        boolean hasGroup = present(subject.get("group"));
        boolean hasAccount = present(subject.get("serviceAccount"));
        switch (kind) {
            case "ServiceAccount" -> {
                if (!hasAccount) {
                    errs.add(FieldError.required(path + ".serviceAccount",
                            "serviceAccount is required when subject kind is 'ServiceAccount'"));
                } else {
                    serviceAccount(subject.get("serviceAccount"), path + ".serviceAccount", errs);
                }
                forbidUser(hasUser, path, errs);
                forbidGroup(hasGroup, path, errs);
            }
            case "User" -> {
                if (!hasUser) {
                    errs.add(FieldError.required(path + ".user", "user is required when subject kind is 'User'"));
                } else if (text(subject.get("user").get("name")).isEmpty()) {
                    errs.add(FieldError.required(path + ".user.name", ""));
                }
                forbidAccount(hasAccount, path, errs);
                forbidGroup(hasGroup, path, errs);
            }
            case "Group" -> {
                if (!hasGroup) {
                    errs.add(FieldError.required(path + ".group", "group is required when subject kind is 'Group'"));
                } else if (text(subject.get("group").get("name")).isEmpty()) {
                    errs.add(FieldError.required(path + ".group.name", ""));
                }
                forbidAccount(hasAccount, path, errs);
                forbidUser(hasUser, path, errs);
            }
            default -> errs.add(FieldError.notSupported(path + ".kind", kind, SUBJECT_KINDS));
        }
    }

    private static void forbidUser(boolean present, String path, List<FieldError> errs) {
        if (present) {
            errs.add(FieldError.forbidden(path + ".user", "user is forbidden when subject kind is not 'User'"));
        }
    }

    private static void forbidGroup(boolean present, String path, List<FieldError> errs) {
        if (present) {
            errs.add(FieldError.forbidden(path + ".group", "group is forbidden when subject kind is not 'Group'"));
        }
    }

    private static void forbidAccount(boolean present, String path, List<FieldError> errs) {
        if (present) {
            errs.add(FieldError.forbidden(path + ".serviceAccount",
                    "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"));
        }
    }

    private static void serviceAccount(JsonNode account, String path, List<FieldError> errs) {
        String name = text(account.get("name"));
        if (name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", ""));
        } else if (!name.equals("*")) {
            for (String m : NameValidation.isDns1123Subdomain(name)) {
                errs.add(FieldError.invalid(path + ".name", name, m));
            }
        }
        String namespace = text(account.get("namespace"));
        if (namespace.isEmpty()) {
            errs.add(FieldError.required(path + ".namespace", "must specify namespace for service account"));
        } else {
            for (String m : NameValidation.isDns1123Label(namespace)) {
                errs.add(FieldError.invalid(path + ".namespace", namespace, m));
            }
        }
    }

    private static void resourceRule(JsonNode rule, String path, List<FieldError> errs) {
        verbs(strings(rule.get("verbs"), path + ".verbs", errs), path + ".verbs", errs);
        List<String> groups = strings(rule.get("apiGroups"), path + ".apiGroups", errs);
        if (groups.isEmpty()) {
            errs.add(FieldError.required(path + ".apiGroups", "resource rules must supply at least one api group"));
        } else if (groups.size() > 1 && groups.contains("*")) {
            errs.add(FieldError.invalid(path + ".apiGroups", groups, "if '*' is present, must not specify other api groups"));
        }
        List<String> resources = strings(rule.get("resources"), path + ".resources", errs);
        if (resources.isEmpty()) {
            errs.add(FieldError.required(path + ".resources", "resource rules must supply at least one resource"));
        } else if (resources.size() > 1 && resources.contains("*")) {
            errs.add(FieldError.invalid(path + ".resources", resources, "if '*' is present, must not specify other resources"));
        }
        List<String> namespaces = strings(rule.get("namespaces"), path + ".namespaces", errs);
        JsonNode clusterScope = rule.get("clusterScope");
        if (present(clusterScope) && !clusterScope.isBoolean()) {
            errs.add(FieldError.invalid(path + ".clusterScope", clusterScope.toString(), "must be a boolean"));
        }
        if (namespaces.isEmpty() && !(clusterScope != null && clusterScope.asBoolean(false))) {
            errs.add(FieldError.required(path + ".namespaces",
                    "resource rules that are not cluster scoped must supply at least one namespace"));
        } else if (namespaces.contains("*")) {
            if (namespaces.size() > 1) {
                errs.add(FieldError.invalid(path + ".namespaces", namespaces,
                        "if '*' is present, must not specify other namespaces"));
            }
        } else {
            for (int i = 0; i < namespaces.size(); i++) {
                for (String m : NameValidation.isDns1123Label(namespaces.get(i))) {
                    errs.add(FieldError.invalid(path + ".namespaces[" + i + "]", namespaces.get(i), NS_ERR_INTRO + m));
                }
            }
        }
    }

    private static void nonResourceRule(JsonNode rule, String path, List<FieldError> errs) {
        verbs(strings(rule.get("verbs"), path + ".verbs", errs), path + ".verbs", errs);
        List<String> urls = strings(rule.get("nonResourceURLs"), path + ".nonResourceURLs", errs);
        if (urls.isEmpty()) {
            errs.add(FieldError.required(path + ".nonResourceURLs", "nonResourceURLs must contain at least one value"));
        } else if (urls.contains("*")) {
            if (urls.size() > 1) {
                errs.add(FieldError.invalid(path + ".nonResourceURLs", urls,
                        "if '*' is present, must not specify other non-resource URLs"));
            }
        } else {
            for (int i = 0; i < urls.size(); i++) {
                String problem = nonResourceUrlProblem(urls.get(i));
                if (problem != null) {
                    errs.add(FieldError.invalid(path + ".nonResourceURLs[" + i + "]", urls.get(i), problem));
                }
            }
        }
    }

    /** Upstream's ValidateNonResourceURLPath: a leading slash, no spaces or "//", "*" only as a "/*" suffix. */
    static String nonResourceUrlProblem(String url) {
        if (url.isEmpty()) {
            return "must not be empty";
        }
        if (url.equals("/")) {
            return null;
        }
        if (!url.startsWith("/")) {
            return "must start with slash";
        }
        if (url.contains(" ")) {
            return "must not contain white-space";
        }
        if (url.contains("//")) {
            return "must not contain double slash";
        }
        int stars = (int) url.chars().filter(c -> c == '*').count();
        if (stars > 1 || (stars == 1 && !url.endsWith("/*"))) {
            return "wildcard can only do suffix matching";
        }
        return null;
    }

    private static void verbs(List<String> verbs, String path, List<FieldError> errs) {
        if (verbs.isEmpty()) {
            errs.add(FieldError.required(path, "verbs must contain at least one value"));
        } else if (verbs.contains("*")) {
            if (verbs.size() > 1) {
                errs.add(FieldError.invalid(path, verbs, "if '*' is present, must not specify other verbs"));
            }
        } else if (!VERBS.containsAll(verbs)) {
            errs.add(FieldError.notSupported(path, verbs, VERBS));
        }
    }

    // ---- PriorityLevelConfiguration ----

    static List<FieldError> priorityLevel(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        String name = text(obj.path("metadata").get("name"));
        JsonNode spec = obj.path("spec");
        String type = text(spec.get("type"));
        if (name.equals("exempt") != type.equals("Exempt")) {
            errs.add(FieldError.invalid("spec.type", type, "type must be 'Exempt' if and only if name is 'exempt'"));
        }
        switch (type) {
            case "Exempt" -> {
                if (present(spec.get("limited"))) {
                    errs.add(FieldError.forbidden("spec.limited", "must be nil if the type is not Limited"));
                }
                if (present(spec.get("exempt"))) {
                    shares(spec.get("exempt"), "spec.exempt", errs);
                }
            }
            case "Limited" -> {
                if (present(spec.get("exempt"))) {
                    errs.add(FieldError.forbidden("spec.exempt", "must be nil if the type is Limited"));
                }
                if (!present(spec.get("limited"))) {
                    errs.add(FieldError.required("spec.limited", "must not be empty when type is Limited"));
                } else {
                    limited(spec.get("limited"), "spec.limited", errs);
                }
            }
            default -> errs.add(FieldError.notSupported("spec.type", type, ENABLEMENTS));
        }
        conditions(obj, errs);
        return errs;
    }

    /** nominalConcurrencyShares and lendablePercent, shared by the exempt and limited shapes. */
    private static void shares(JsonNode config, String path, List<FieldError> errs) {
        Long shares = integer(config.get("nominalConcurrencyShares"), path + ".nominalConcurrencyShares", errs);
        if (shares != null && shares < 0) {
            errs.add(FieldError.invalid(path + ".nominalConcurrencyShares", shares, "must be a non-negative integer"));
        }
        Long lendable = integer(config.get("lendablePercent"), path + ".lendablePercent", errs);
        if (lendable != null && (lendable < 0 || lendable > 100)) {
            errs.add(FieldError.invalid(path + ".lendablePercent", lendable, "must be between 0 and 100, inclusive"));
        }
    }

    private static void limited(JsonNode limited, String path, List<FieldError> errs) {
        shares(limited, path, errs);
        Long borrowing = integer(limited.get("borrowingLimitPercent"), path + ".borrowingLimitPercent", errs);
        if (borrowing != null && borrowing < 0) {
            errs.add(FieldError.invalid(path + ".borrowingLimitPercent", borrowing,
                    "if specified, must be a non-negative integer"));
        }
        JsonNode response = limited.path("limitResponse");
        String type = text(response.get("type"));
        String responsePath = path + ".limitResponse";
        switch (type) {
            case "Reject" -> {
                if (present(response.get("queuing"))) {
                    errs.add(FieldError.forbidden(responsePath + ".queuing",
                            "must be nil if limited.limitResponse.type is not Limited"));
                }
            }
            case "Queue" -> {
                if (!present(response.get("queuing"))) {
                    errs.add(FieldError.required(responsePath + ".queuing",
                            "must not be empty if limited.limitResponse.type is Limited"));
                } else {
                    queuing(response.get("queuing"), responsePath + ".queuing", errs);
                }
            }
            default -> errs.add(FieldError.notSupported(responsePath + ".type", type, LIMIT_RESPONSES));
        }
    }

    private static void queuing(JsonNode queuing, String path, List<FieldError> errs) {
        Long lengthLimit = integer(queuing.get("queueLengthLimit"), path + ".queueLengthLimit", errs);
        if (lengthLimit != null && lengthLimit <= 0) {
            errs.add(FieldError.invalid(path + ".queueLengthLimit", lengthLimit, "must be positive"));
        }
        Long queues = integer(queuing.get("queues"), path + ".queues", errs);
        if (queues != null && queues <= 0) {
            errs.add(FieldError.invalid(path + ".queues", queues, "must be positive"));
        } else if (queues != null && queues > MAX_QUEUES) {
            errs.add(FieldError.invalid(path + ".queues", queues, "must not be greater than " + MAX_QUEUES));
        }
        Long handSize = integer(queuing.get("handSize"), path + ".handSize", errs);
        if (handSize == null || queues == null) {
            return;
        }
        if (handSize <= 0) {
            errs.add(FieldError.invalid(path + ".handSize", handSize, "must be positive"));
        } else if (handSize > queues) {
            errs.add(FieldError.invalid(path + ".handSize", handSize, "should not be greater than queues (" + queues + ")"));
        } else if (requiredEntropyBits(queues, handSize) > MAX_HASH_BITS) {
            errs.add(FieldError.invalid(path + ".handSize", handSize, "required entropy bits of deckSize " + queues
                    + " and handSize " + handSize + " should not be greater than " + MAX_HASH_BITS));
        }
    }

    /** Upstream's shufflesharding.RequiredEntropyBits: the bits a hash needs to deal {@code handSize} of the deck. */
    static int requiredEntropyBits(long deckSize, long handSize) {
        return (int) Math.ceil(Math.log(deckSize) / Math.log(2) * handSize);
    }

    // ---- shared ----

    /** Status conditions: each needs a type, and a type appears once. */
    private static void conditions(ObjectNode obj, List<FieldError> errs) {
        List<JsonNode> conditions = list(obj.path("status").get("conditions"), "status.conditions", errs);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            String type = text(conditions.get(i).get("type"));
            String path = "status.conditions[" + i + "].type";
            if (type.isEmpty()) {
                errs.add(FieldError.required(path, "must not be empty"));
            } else if (!seen.add(type)) {
                errs.add(FieldError.duplicate(path, type));
            }
        }
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : "";
    }

    /** An int32 field: null when absent; a non-integer or out-of-range value is an error (and null). */
    private static Long integer(JsonNode node, String path, List<FieldError> errs) {
        if (!present(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            errs.add(FieldError.invalid(path, node.toString(), "must be a 32-bit integer"));
            return null;
        }
        return node.asLong();
    }

    private static List<JsonNode> list(JsonNode node, String path, List<FieldError> errs) {
        if (!present(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            errs.add(FieldError.invalid(path, node.toString(), "must be a list"));
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static List<String> strings(JsonNode node, String path, List<FieldError> errs) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list(node, path, errs)) {
            if (!item.isString()) {
                errs.add(FieldError.invalid(path, item.toString(), "must be a string"));
            } else {
                out.add(item.asString());
            }
        }
        return out;
    }
}
