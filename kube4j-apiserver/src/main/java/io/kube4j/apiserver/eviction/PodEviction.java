package io.kube4j.apiserver.eviction;

import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.selector.SelectorParseException;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusDetails;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST pods/NAME/eviction}, as upstream's EvictionREST: a pod is deleted only if the one
 * PodDisruptionBudget that selects it allows a disruption, which the eviction then uses up (status.disruptionsAllowed
 * less one, the pod recorded in status.disruptedPods for the disruption controller). Pods whose deletion disrupts
 * nothing more (terminal, pending, already being deleted, unready under an unhealthy-pod policy that lets them go)
 * are deleted without spending the budget.
 */
public final class PodEviction {

    /** Upstream's MaxDisruptedPodSize: past this many evictions the controller has not confirmed, refuse more. */
    static final int MAX_DISRUPTED_PODS = 2000;
    private static final Set<String> EVICTION_VERSIONS = Set.of("policy/v1", "policy/v1beta1");
    private static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

    private final GenericRegistry pods;
    private final GenericRegistry budgets;
    private final Clock clock;
    private final EvictionRetry retry;

    public PodEviction(GenericRegistry pods, GenericRegistry budgets, Clock clock) {
        this(pods, budgets, clock, EvictionRetry.UPSTREAM);
    }

    PodEviction(GenericRegistry pods, GenericRegistry budgets, Clock clock, EvictionRetry retry) {
        this.pods = pods;
        this.budgets = budgets;
        this.clock = clock;
        this.retry = retry;
    }

    /**
     * Evicts pod {@code ns/name} as {@code eviction} (a policy Eviction) asks; returns when the pod is deleted or
     * marked for deletion (or would be, under dry run), and throws the refusal's Status otherwise.
     */
    public void evict(String ns, String name, ObjectNode eviction, boolean dryRunQuery) {
        checkEviction(ns, name, eviction);
        ObjectNode optionsJson = Json.obj(eviction, "deleteOptions");
        boolean dryRun = dryRun(optionsJson, dryRunQuery);
        DeleteOptions options = DeleteOptions.fromJson(optionsJson);
        boolean userResourceVersion = options.preconditionResourceVersion() != null;

        ObjectNode pod = null;
        for (int attempt = 1; pod == null; attempt++) {
            ObjectNode current = pods.get(ns, name);
            if (!canIgnoreBudget(current)) {
                pod = current;
                break;
            }
            // a running pod must not become one a budget protects between this read and the delete
            DeleteOptions guarded = enforcesResourceVersion(current) && !userResourceVersion
                    ? options.withResourceVersion(resourceVersion(current)) : options;
            try {
                delete(ns, name, guarded, dryRun);
                return;
            } catch (StatusException e) {
                // a user's own resourceVersion precondition is theirs to retry, as upstream; a pod written that
                // often meanwhile is not evicted this time
                if (e.reason() != StatusReason.CONFLICT || userResourceVersion || !retry.mayRetryAfter(attempt)) {
                    throw e;
                }
            }
            retry.pause();
        }

        ObjectNode budget = budgetOf(pod);
        boolean guardReadiness = false;
        if (budget != null) {
            if (!isReady(pod) && unreadyMayGo(budget)) {
                // an unready pod does not count as healthy: deleting it spends nothing, as long as it stays unready
                guardReadiness = true;
            } else {
                spendWithRetries(ns, budget, name, dryRun);
            }
        }
        DeleteOptions deleteOptions = guardReadiness ? options.withResourceVersion(resourceVersion(pod)) : options;
        try {
            delete(ns, name, deleteOptions, dryRun);
        } catch (StatusException e) {
            if (e.reason() == StatusReason.CONFLICT && guardReadiness && !userResourceVersion) {
                // the pod changed (it may be ready now): the client is to ask again, as upstream answers
                throw stillProcessing(Json.text(budget, "metadata", "name"));
            }
            throw e;
        }
    }

    // ---- the request ----

    /** The body must be an Eviction of this pod, as upstream's create handler and EvictionREST decide. */
    private static void checkEviction(String ns, String name, ObjectNode eviction) {
        String apiVersion = Json.text(eviction, "apiVersion");
        if (apiVersion != null && !apiVersion.isEmpty() && !EVICTION_VERSIONS.contains(apiVersion)) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (policy/v1)");
        }
        String kind = Json.text(eviction, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals("Eviction")) {
            throw StatusException.badRequest("not a Eviction object: " + kind);
        }
        String bodyNamespace = Json.text(eviction, "metadata", "namespace");
        if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(ns)) {
            throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent "
                    + "on the request");
        }
        if (!name.equals(Json.text(eviction, "metadata", "name"))) {
            throw StatusException.badRequest("name in URL does not match name in Eviction object");
        }
    }

    /**
     * Dry run asked by the query or by the Eviction's deleteOptions; both may ask, but not differently (upstream's
     * propagateDryRun; it answers that with a bare error, taken here as the client's mistake it is: a 400).
     */
    private static boolean dryRun(ObjectNode options, boolean dryRunQuery) {
        JsonNode values = options == null ? null : options.get("dryRun");
        if (values == null || values.isNull() || values.isEmpty()) {
            return dryRunQuery;
        }
        if (!values.isArray()) {
            throw StatusException.badRequest("deleteOptions.dryRun must be a list of strings");
        }
        for (JsonNode value : values) {
            if (!value.isString() || !value.asString().equals("All")) {
                throw StatusException.badRequest("Invalid dry run value: \"" + value.asString() + "\": supported "
                        + "values: \"All\"");
            }
        }
        return true;
    }

    // ---- the pod ----

    /** Deleting a pod that is done, not started, or already going disrupts nothing the budget counts. */
    private static boolean canIgnoreBudget(ObjectNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase) || "Pending".equals(phase) || deleting(pod);
    }

    /** A terminal or deleting pod cannot become ready again; any other one could before the delete lands. */
    private static boolean enforcesResourceVersion(ObjectNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !deleting(pod);
    }

    private static boolean deleting(ObjectNode pod) {
        JsonNode timestamp = pod.path("metadata").get("deletionTimestamp");
        return timestamp != null && !timestamp.isNull();
    }

    private static boolean isReady(ObjectNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asString(""))) {
                return "True".equals(condition.path("status").asString(""));
            }
        }
        return false;
    }

    private static String resourceVersion(ObjectNode obj) {
        return Json.text(obj, "metadata", "resourceVersion");
    }

    /**
     * Deletes the pod; a real eviction first marks it with the DisruptionTarget condition (upstream's
     * addConditionAndDeletePod), so that controllers such as a Job's pod failure policy can tell why it went.
     */
    private void delete(String ns, String name, DeleteOptions options, boolean dryRun) {
        DeleteOptions deleteOptions = options;
        if (!dryRun) {
            ObjectNode marked = pods.systemUpdate(ns, name, false, current -> {
                checkPreconditions(name, current, options);
                return withDisruptionTarget(current);
            });
            if (options.preconditionResourceVersion() != null) {
                // our own write moved the resourceVersion the precondition was about
                deleteOptions = options.withResourceVersion(resourceVersion(marked));
            }
        }
        pods.delete(ns, name, deleteOptions, dryRun);
    }

    /** The preconditions checked against the pod the condition is added to, worded as upstream's getLatestPod. */
    private static void checkPreconditions(String name, ObjectNode pod, DeleteOptions options) {
        String uid = Json.text(pod, "metadata", "uid");
        if (options.preconditionUid() != null && !options.preconditionUid().isEmpty()
                && !options.preconditionUid().equals(uid)) {
            throw StatusException.conflict("", "Pod", name, "the UID in the precondition (" + options.preconditionUid()
                    + ") does not match the UID in record (" + uid + "). The object might have been deleted and then "
                    + "recreated");
        }
        String rv = resourceVersion(pod);
        if (options.preconditionResourceVersion() != null && !options.preconditionResourceVersion().isEmpty()
                && !options.preconditionResourceVersion().equals(rv)) {
            throw StatusException.conflict("", "Pod", name, "the ResourceVersion in the precondition ("
                    + options.preconditionResourceVersion() + ") does not match the ResourceVersion in record (" + rv
                    + "). The object might have been modified");
        }
    }

    private ObjectNode withDisruptionTarget(ObjectNode pod) {
        ObjectNode copy = pod.deepCopy();
        ArrayNode conditions = Json.child(copy, "status").withArray("conditions");
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if ("DisruptionTarget".equals(c.path("type").asString(""))) {
                condition = (ObjectNode) c;
            }
        }
        if (condition == null) {
            condition = conditions.addObject();
            condition.put("type", "DisruptionTarget");
        }
        if (!"True".equals(condition.path("status").asString(""))) {
            condition.put("lastTransitionTime", now());
        }
        condition.put("status", "True");
        condition.put("reason", "EvictionByEvictionAPI");
        condition.put("message", "Eviction API: evicting");
        return copy;
    }

    // ---- the budget ----

    /**
     * The one budget in the pod's namespace selecting it, or null if none does. A budget with a selector that does
     * not parse selects nothing; one with an empty selector selects every pod (policy/v1).
     */
    private ObjectNode budgetOf(ObjectNode pod) {
        String ns = Json.text(pod, "metadata", "namespace");
        var labels = Json.stringMap(pod.path("metadata").path("labels"));
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode budget : budgets.list(ns, ListOptions.everything()).items()) {
            LabelSelector selector;
            try {
                selector = LabelSelector.fromJson(budget.path("spec").get("selector"));
            } catch (SelectorParseException e) {
                continue;
            }
            if (selector.matches(labels)) {
                matching.add(budget);
            }
        }
        if (matching.size() > 1) {
            throw new MultipleBudgets();
        }
        return matching.isEmpty() ? null : matching.get(0);
    }

    /**
     * Whether an unready pod may go without spending the budget: always under AlwaysAllow; under IfHealthyBudget
     * (the default) only while the application has the healthy pods it needs.
     */
    private static boolean unreadyMayGo(ObjectNode budget) {
        if ("AlwaysAllow".equals(Json.text(budget, "spec", "unhealthyPodEvictionPolicy"))) {
            return true;
        }
        JsonNode status = budget.path("status");
        long desired = status.path("desiredHealthy").asLong(0);
        return status.path("currentHealthy").asLong(0) >= desired && desired > 0;
    }

    /**
     * Spends one disruption of {@code budget} (as read when the pod was matched) on {@code podName}, as upstream's
     * RetryOnConflict around checkAndDecrement: the status write is guarded by the resourceVersion of the budget
     * the decision was made on, and a conflict reads the budget again after a pause, up to 20 attempts; the last
     * conflict is then the answer (a 409, as upstream's retry returns the last error). A budget spent meanwhile
     * refuses on the attempt that reads it.
     */
    private void spendWithRetries(String ns, ObjectNode budget, String podName, boolean dryRun) {
        String budgetName = Json.text(budget, "metadata", "name");
        ObjectNode read = budget;
        for (int attempt = 1; ; attempt++) {
            ObjectNode decidedOn = read;
            try {
                // spend() keeps the read's resourceVersion, so a budget written since is a conflict, not a re-read
                budgets.guaranteedUpdate(ns, budgetName, false, dryRun, true,
                        current -> spend(decidedOn, podName, dryRun));
                return;
            } catch (StatusException e) {
                if (e.reason() != StatusReason.CONFLICT || !retry.mayRetryAfter(attempt)) {
                    throw e;
                }
            }
            retry.pause();
            read = budgets.get(ns, budgetName);
        }
    }

    /**
     * The budget with one disruption spent on {@code podName} (upstream's checkAndDecrement), or the refusal.
     * Run on every attempt of the conflict-retried status update, so a budget spent meanwhile refuses here.
     */
    private ObjectNode spend(ObjectNode budget, String podName, boolean dryRun) {
        String budgetName = Json.text(budget, "metadata", "name");
        JsonNode status = budget.path("status");
        if (status.path("observedGeneration").asLong(0) < budget.path("metadata").path("generation").asLong(0)) {
            throw stillProcessing(budgetName);
        }
        long allowed = status.path("disruptionsAllowed").asLong(0);
        if (allowed < 0) {
            throw StatusException.forbidden("policy", "poddisruptionbudget", budgetName,
                    "pdb disruptions allowed is negative");
        }
        if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw StatusException.forbidden("policy", "poddisruptionbudget", budgetName,
                    "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            throw tooManyRequests(0, "The disruption budget " + budgetName + " needs "
                    + status.path("desiredHealthy").asLong(0) + " healthy pods and has "
                    + status.path("currentHealthy").asLong(0) + " currently");
        }
        ObjectNode copy = budget.deepCopy();
        ObjectNode newStatus = Json.child(copy, "status");
        newStatus.put("disruptionsAllowed", allowed - 1);
        if (allowed - 1 == 0) {
            noDisruptionAllowed(newStatus);
        }
        if (!dryRun) {
            // tells the disruption controller the pod is about to go, so it does not count it healthy meanwhile
            Json.child(newStatus, "disruptedPods").put(podName, now());
        }
        return copy;
    }

    /** The DisruptionAllowed condition set to False/InsufficientPods, as upstream's UpdateDisruptionAllowedCondition. */
    private void noDisruptionAllowed(ObjectNode status) {
        ArrayNode conditions = status.withArray("conditions");
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if ("DisruptionAllowed".equals(c.path("type").asString(""))) {
                condition = (ObjectNode) c;
            }
        }
        if (condition == null) {
            condition = conditions.addObject();
            condition.put("type", "DisruptionAllowed");
        }
        if (!"False".equals(condition.path("status").asString(""))) {
            condition.put("lastTransitionTime", now());
        }
        condition.put("status", "False");
        condition.put("reason", "InsufficientPods");
        condition.put("message", "");
        condition.put("observedGeneration", status.path("observedGeneration").asLong(0));
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static StatusException stillProcessing(String budgetName) {
        // upstream suggests 10 seconds, so that well-behaved clients do not hammer the server meanwhile
        return tooManyRequests(10, "The disruption budget " + budgetName + " is still being processed by the server.");
    }

    private static StatusException tooManyRequests(int retryAfterSeconds, String cause) {
        return new StatusException(StatusReason.TOO_MANY_REQUESTS, VIOLATION, new StatusDetails(null, null, null,
                null, List.of(new StatusCause("DisruptionBudget", cause, null)), retryAfterSeconds));
    }

    /**
     * Upstream answers a pod under two budgets with a bare failure Status of code 500 and no reason: which budget
     * to spend is not decided, so the eviction is not made.
     */
    private static final class MultipleBudgets extends StatusException {
        MultipleBudgets() {
            super(500, StatusReason.INTERNAL_ERROR, "This pod has more than one PodDisruptionBudget, which the "
                    + "eviction subresource does not support.", null);
        }

        @Override
        public ObjectNode toStatus() {
            ObjectNode status = super.toStatus();
            status.remove("reason");
            return status;
        }
    }
}
