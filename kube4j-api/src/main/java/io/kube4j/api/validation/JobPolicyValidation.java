package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parts of upstream 1.32's validateJobSpec that govern Indexed Jobs' per-index policies and pod replacement:
 * backoffLimitPerIndex and maxFailedIndexes, successPolicy, podReplacementPolicy, and the podFailurePolicy rules
 * (their actions - FailIndex needs backoffLimitPerIndex - exit codes and pod condition patterns). Messages and paths
 * are upstream's.
 */
final class JobPolicyValidation {
    /** Caps the length of status.completedIndexes and status.failedIndexes, as upstream. */
    static final int MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
    static final int MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
    static final int COMPLETIONS_SOFT_LIMIT = 100_000;
    static final int PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
    static final int MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
    static final int MAX_SUCCESS_POLICY_RULES = 20;
    static final int MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
    static final int MAX_POD_FAILURE_POLICY_RULES = 20;
    static final int MAX_EXIT_CODE_VALUES = 255;
    static final int MAX_POD_CONDITION_PATTERNS = 20;
    static final List<String> POD_FAILURE_POLICY_ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
    static final List<String> EXIT_CODE_OPERATORS = List.of("In", "NotIn");
    static final List<String> CONDITION_STATUSES = List.of("False", "True", "Unknown");
    static final List<String> POD_REPLACEMENT_POLICIES = List.of("Failed", "TerminatingOrFailed");

    private JobPolicyValidation() {
    }

    static void validate(ObjectNode spec, String path, List<FieldError> errs) {
        perIndex(spec, path, errs);
        podFailurePolicy(spec, Paths.child(path, "podFailurePolicy"), errs);
        successPolicy(spec, Paths.child(path, "successPolicy"), errs);
        podReplacementPolicy(spec, Paths.child(path, "podReplacementPolicy"), errs);
    }

    private static boolean indexed(ObjectNode spec) {
        return "Indexed".equals(Json.str(spec, "completionMode"));
    }

    private static void perIndex(ObjectNode spec, String path, List<FieldError> errs) {
        Long perIndex = Json.lng(spec, "backoffLimitPerIndex");
        Long maxFailed = Json.lng(spec, "maxFailedIndexes");
        Long completions = Json.lng(spec, "completions");
        Long parallelism = Json.lng(spec, "parallelism");
        String perIndexPath = Paths.child(path, "backoffLimitPerIndex");
        String maxFailedPath = Paths.child(path, "maxFailedIndexes");
        Checks.nonNegative(spec, "backoffLimitPerIndex", perIndexPath, errs);
        if (maxFailed != null) {
            Checks.nonNegative(spec, "maxFailedIndexes", maxFailedPath, errs);
            if (perIndex == null) {
                errs.add(FieldError.required(perIndexPath, "when maxFailedIndexes is specified"));
            }
        }
        if (!indexed(spec)) {
            if (perIndex != null) {
                errs.add(FieldError.invalid(perIndexPath, perIndex, "requires indexed completion mode"));
            }
            if (maxFailed != null) {
                errs.add(FieldError.invalid(maxFailedPath, maxFailed, "requires indexed completion mode"));
            }
            return;
        }
        if (parallelism != null && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
            errs.add(FieldError.invalid(Paths.child(path, "parallelism"), parallelism,
                    "must be less than or equal to " + MAX_PARALLELISM_FOR_INDEXED_JOB + " when completion mode is Indexed"));
        }
        if (completions != null && maxFailed != null && maxFailed > completions) {
            errs.add(FieldError.invalid(maxFailedPath, maxFailed, "must be less than or equal to completions"));
        }
        if (maxFailed != null && maxFailed > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
            errs.add(FieldError.invalid(maxFailedPath, maxFailed, "must be less than or equal to " + MAX_FAILED_INDEXES_FOR_INDEXED_JOB));
        }
        if (completions != null && completions > COMPLETIONS_SOFT_LIMIT && perIndex != null) {
            String high = " when completions are above " + COMPLETIONS_SOFT_LIMIT + " and used with backoff limit per index";
            if (maxFailed == null) {
                errs.add(FieldError.required(maxFailedPath, "must be specified when completions is above " + COMPLETIONS_SOFT_LIMIT));
            }
            if (parallelism != null && parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
                errs.add(FieldError.invalid(Paths.child(path, "parallelism"), parallelism,
                        "must be less than or equal to " + PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS + high));
            }
            if (maxFailed != null && maxFailed > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
                errs.add(FieldError.invalid(maxFailedPath, maxFailed,
                        "must be less than or equal to " + MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS + high));
            }
        }
    }

    /** The rules: an action, and exactly one of onExitCodes and onPodConditions, each checked as upstream. */
    private static void podFailurePolicy(ObjectNode spec, String path, List<FieldError> errs) {
        ObjectNode policy = Json.obj(spec, "podFailurePolicy");
        if (policy == null) {
            return;
        }
        List<ObjectNode> rules = Json.objs(policy, "rules");
        String rulesPath = Paths.child(path, "rules");
        if (rules.size() > MAX_POD_FAILURE_POLICY_RULES) {
            errs.add(FieldError.tooMany(rulesPath, rules.size(), MAX_POD_FAILURE_POLICY_RULES));
        }
        Set<String> containerNames = new HashSet<>();
        ObjectNode podSpec = Json.obj(Json.obj(spec, "template"), "spec");
        for (String list : List.of("containers", "initContainers")) {
            for (ObjectNode c : Json.objs(podSpec, list)) {
                containerNames.add(Json.strOr(c, "name", ""));
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            podFailurePolicyRule(spec, rules.get(i), Paths.index(rulesPath, i), containerNames, errs);
        }
    }

    private static void podFailurePolicyRule(ObjectNode spec, ObjectNode rule, String rulePath, Set<String> containerNames,
                                             List<FieldError> errs) {
        String actionPath = Paths.child(rulePath, "action");
        String action = Json.strOr(rule, "action", "");
        if (action.isEmpty()) {
            errs.add(FieldError.required(actionPath, "valid values: " + goQuotedList(POD_FAILURE_POLICY_ACTIONS)));
        } else if (action.equals("FailIndex")) {
            if (!Json.has(spec, "backoffLimitPerIndex")) {
                errs.add(FieldError.invalid(actionPath, action, "requires the backoffLimitPerIndex to be set"));
            }
        } else if (!POD_FAILURE_POLICY_ACTIONS.contains(action)) {
            errs.add(FieldError.notSupported(actionPath, action, POD_FAILURE_POLICY_ACTIONS));
        }
        ObjectNode onExitCodes = Json.obj(rule, "onExitCodes");
        List<ObjectNode> onPodConditions = Json.objs(rule, "onPodConditions");
        if (onExitCodes != null) {
            onExitCodes(onExitCodes, Paths.child(rulePath, "onExitCodes"), containerNames, errs);
        }
        if (!onPodConditions.isEmpty()) {
            onPodConditions(onPodConditions, Paths.child(rulePath, "onPodConditions"), errs);
        }
        if (onExitCodes != null && !onPodConditions.isEmpty()) {
            errs.add(FieldError.invalid(rulePath, FieldError.OMIT, "specifying both OnExitCodes and OnPodConditions is not supported"));
        }
        if (onExitCodes == null && onPodConditions.isEmpty()) {
            errs.add(FieldError.invalid(rulePath, FieldError.OMIT, "specifying one of OnExitCodes and OnPodConditions is required"));
        }
    }

    private static void onExitCodes(ObjectNode req, String path, Set<String> containerNames, List<FieldError> errs) {
        String operatorPath = Paths.child(path, "operator");
        String operator = Json.strOr(req, "operator", "");
        if (operator.isEmpty()) {
            errs.add(FieldError.required(operatorPath, "valid values: " + goQuotedList(EXIT_CODE_OPERATORS)));
        } else if (!EXIT_CODE_OPERATORS.contains(operator)) {
            errs.add(FieldError.notSupported(operatorPath, operator, EXIT_CODE_OPERATORS));
        }
        String containerName = Json.str(req, "containerName");
        if (containerName != null && !containerNames.contains(containerName)) {
            errs.add(FieldError.invalid(Paths.child(path, "containerName"), containerName,
                    "must be one of the container or initContainer names in the pod template"));
        }
        String valuesPath = Paths.child(path, "values");
        JsonNode valuesNode = Json.node(req, "values");
        List<Long> values = new ArrayList<>();
        for (JsonNode v : Json.arr(req, "values")) {
            values.add(v.asLong());
        }
        if (values.isEmpty()) {
            errs.add(FieldError.invalid(valuesPath, int32Slice(valuesNode == null ? null : values), "at least one value is required"));
        } else if (values.size() > MAX_EXIT_CODE_VALUES) {
            errs.add(FieldError.tooMany(valuesPath, values.size(), MAX_EXIT_CODE_VALUES));
        }
        boolean ordered = true;
        Set<Long> seen = new HashSet<>();
        for (int j = 0; j < values.size(); j++) {
            long value = values.get(j);
            String valuePath = Paths.index(valuesPath, j);
            if (operator.equals("In") && value == 0) {
                errs.add(FieldError.invalid(valuePath, value, "must not be 0 for the In operator"));
            }
            if (!seen.add(value)) {
                errs.add(FieldError.duplicate(valuePath, value));
            }
            if (j > 0 && values.get(j - 1) > value) {
                ordered = false;
            }
        }
        if (!ordered) {
            errs.add(FieldError.invalid(valuesPath, int32Slice(values), "must be ordered"));
        }
    }

    private static void onPodConditions(List<ObjectNode> patterns, String path, List<FieldError> errs) {
        if (patterns.size() > MAX_POD_CONDITION_PATTERNS) {
            errs.add(FieldError.tooMany(path, patterns.size(), MAX_POD_CONDITION_PATTERNS));
        }
        for (int j = 0; j < patterns.size(); j++) {
            String patternPath = Paths.index(path, j);
            Checks.qualifiedName(Json.strOr(patterns.get(j), "type", ""), Paths.child(patternPath, "type"), errs);
            String statusPath = Paths.child(patternPath, "status");
            String status = Json.strOr(patterns.get(j), "status", "");
            if (status.isEmpty()) {
                errs.add(FieldError.required(statusPath, "valid values: " + goQuotedList(CONDITION_STATUSES)));
            } else if (!CONDITION_STATUSES.contains(status)) {
                errs.add(FieldError.notSupported(statusPath, status, CONDITION_STATUSES));
            }
        }
    }

    /** Go's %q of a []string, as upstream's "valid values" details print their sets: {@code ["In" "NotIn"]}. */
    private static String goQuotedList(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? " " : "").append(GoFormat.quote(v));
        }
        return b.append(']').toString();
    }

    /** Go's %#v of the []int32 upstream passes as the bad value; {@code values} null for a nil slice. */
    private static GoFormat.Raw int32Slice(List<Long> values) {
        if (values == null) {
            return new GoFormat.Raw("[]int32(nil)");
        }
        StringBuilder b = new StringBuilder("[]int32{");
        for (int i = 0; i < values.size(); i++) {
            b.append(i > 0 ? ", " : "").append(values.get(i));
        }
        return new GoFormat.Raw(b.append('}').toString());
    }

    private static void successPolicy(ObjectNode spec, String path, List<FieldError> errs) {
        ObjectNode policy = Json.obj(spec, "successPolicy");
        if (policy == null) {
            return;
        }
        if (!indexed(spec)) {
            // upstream prints the Go struct; the JSON form says the same without Go's pointer addresses
            errs.add(FieldError.invalid(path, new GoFormat.Raw(String.valueOf(policy)), "requires indexed completion mode"));
            return;
        }
        List<ObjectNode> rules = Json.objs(policy, "rules");
        String rulesPath = Paths.child(path, "rules");
        if (rules.isEmpty()) {
            errs.add(FieldError.required(rulesPath, "at least one rules must be specified when the successPolicy is specified"));
        }
        if (rules.size() > MAX_SUCCESS_POLICY_RULES) {
            errs.add(FieldError.tooMany(rulesPath, rules.size(), MAX_SUCCESS_POLICY_RULES));
        }
        long completions = Json.lng(spec, "completions") == null ? 0 : Json.lng(spec, "completions");
        for (int i = 0; i < rules.size(); i++) {
            successPolicyRule(rules.get(i), completions, rulesPath + "[" + i + "]", errs);
        }
    }

    private static void successPolicyRule(ObjectNode rule, long completions, String rulePath, List<FieldError> errs) {
        String indexes = Json.str(rule, "succeededIndexes");
        Long count = Json.lng(rule, "succeededCount");
        if (indexes == null && count == null) {
            errs.add(FieldError.required(rulePath, "at least one of succeededCount or succeededIndexes must be specified"));
        }
        long total = 0;
        if (indexes != null) {
            String indexesPath = Paths.child(rulePath, "succeededIndexes");
            if (indexes.length() > MAX_SUCCEEDED_INDEXES_LENGTH) {
                errs.add(FieldError.tooLong(indexesPath, indexes, MAX_SUCCEEDED_INDEXES_LENGTH));
            }
            try {
                total = IndexIntervalFormat.count(indexes, completions);
            } catch (IllegalArgumentException e) {
                errs.add(FieldError.invalid(indexesPath, indexes, "error parsing succeededIndexes: " + e.getMessage()));
            }
        }
        if (count != null) {
            String countPath = Paths.child(rulePath, "succeededCount");
            Checks.nonNegative(rule, "succeededCount", countPath, errs);
            if (count > completions) {
                errs.add(FieldError.invalid(countPath, count,
                        "must be less than or equal to " + completions + " (the number of specified completions)"));
            }
            if (indexes != null && count > total) {
                errs.add(FieldError.invalid(countPath, count,
                        "must be less than or equal to " + total + " (the number of indexes in the specified succeededIndexes field)"));
            }
        }
    }

    /** With a podFailurePolicy only Failed is allowed: a terminating pod is not yet known to have failed. */
    private static void podReplacementPolicy(ObjectNode spec, String path, List<FieldError> errs) {
        String policy = Json.str(spec, "podReplacementPolicy");
        if (policy == null) {
            return;
        }
        if (Json.has(spec, "podFailurePolicy")) {
            if (!policy.equals("Failed")) {
                errs.add(FieldError.notSupported(path, policy, List.of("Failed")));
            }
        } else if (!POD_REPLACEMENT_POLICIES.contains(policy)) {
            errs.add(FieldError.notSupported(path, policy, POD_REPLACEMENT_POLICIES));
        }
    }
}
