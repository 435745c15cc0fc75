package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parts of upstream 1.32's validateJobSpec that govern Indexed Jobs' per-index policies and pod replacement:
 * backoffLimitPerIndex and maxFailedIndexes, successPolicy, podReplacementPolicy, and the podFailurePolicy rule
 * actions (FailIndex needs backoffLimitPerIndex). Messages and paths are upstream's.
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
    static final List<String> POD_FAILURE_POLICY_ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
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

    /** Only the rule actions and their count; the rest of a rule (exit codes, conditions) is matched leniently. */
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
        for (int i = 0; i < rules.size(); i++) {
            String actionPath = rulesPath + "[" + i + "].action";
            String action = Json.strOr(rules.get(i), "action", "");
            if (action.isEmpty()) {
                errs.add(FieldError.required(actionPath, "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"));
            } else if (action.equals("FailIndex")) {
                if (!Json.has(spec, "backoffLimitPerIndex")) {
                    errs.add(FieldError.invalid(actionPath, action, "requires the backoffLimitPerIndex to be set"));
                }
            } else if (!POD_FAILURE_POLICY_ACTIONS.contains(action)) {
                errs.add(FieldError.notSupported(actionPath, action, POD_FAILURE_POLICY_ACTIONS));
            }
        }
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
