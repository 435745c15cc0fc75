package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of a delete, upstream's metav1.DeleteOptions, validated as its ValidateDeleteOptions does (a 422 on
 * DeleteOptions). A request gives them in a DeleteOptions body or in its query, never both: upstream reads the query
 * only when the body is empty. {@code propagationPolicy} and {@code orphanDependents} are kept as given (admission
 * sees them so); {@link #propagation()} is what the delete does.
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion, Boolean orphanDependents, boolean dryRun) {

    private static final Set<String> POLICIES = Set.of("Foreground", "Background", "Orphan");
    private static final List<String> SUPPORTED_POLICIES = List.of("Foreground", "Background", "Orphan", "nil");

    /** The options a delete request's query sets (upstream's parameter codec). */
    public static DeleteOptions fromQuery(Map<String, List<String>> query) {
        String grace = first(query, "gracePeriodSeconds");
        Long gracePeriod = null;
        if (grace != null) {
            try {
                gracePeriod = Long.parseLong(grace);
            } catch (NumberFormatException e) {
                throw StatusException.badRequest("invalid gracePeriodSeconds: " + grace);
            }
        }
        String orphan = first(query, "orphanDependents");
        // upstream's query conversion to *bool: only "0" and "false" are false, anything else given is true
        Boolean orphanDependents = orphan == null ? null : !(orphan.equals("0") || orphan.equalsIgnoreCase("false"));
        return validated(gracePeriod, first(query, "propagationPolicy"), null, null, orphanDependents,
                query.get("dryRun"));
    }

    /**
     * The options a DeleteOptions object sets: a delete's body, or the {@code deleteOptions} of an Eviction (not an
     * object: none set). Values of the wrong JSON type are the caller's to refuse; here they count as not set.
     */
    public static DeleteOptions fromJson(JsonNode options) {
        if (options == null || !options.isObject()) {
            return defaults();
        }
        JsonNode grace = options.path("gracePeriodSeconds");
        JsonNode orphan = options.path("orphanDependents");
        List<String> dryRun = null;
        if (options.path("dryRun").isArray()) {
            dryRun = new ArrayList<>();
            for (JsonNode value : options.path("dryRun")) {
                dryRun.add(value.asString(""));
            }
        }
        return validated(grace.isNumber() ? grace.asLong() : null, Json.text(options, "propagationPolicy"),
                Json.text(options, "preconditions", "uid"), Json.text(options, "preconditions", "resourceVersion"),
                orphan.isBoolean() ? orphan.asBoolean() : null, dryRun);
    }

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null, null, false);
    }

    /**
     * The propagation the delete carries out: {@code orphanDependents} (deprecated) decides when given - true
     * orphans, false is the background deletion upstream's garbage collection then does - else the policy (null:
     * the resource's default).
     */
    public String propagation() {
        if (orphanDependents != null) {
            return orphanDependents ? "Orphan" : "Background";
        }
        return propagationPolicy;
    }

    /** These options with the precondition that the object still has {@code resourceVersion}. */
    public DeleteOptions withResourceVersion(String resourceVersion) {
        return new DeleteOptions(gracePeriodSeconds, propagationPolicy, preconditionUid, resourceVersion,
                orphanDependents, dryRun);
    }

    /** Upstream's ValidateDeleteOptions; a negative grace period means "now", as upstream. */
    private static DeleteOptions validated(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                                           String preconditionResourceVersion, Boolean orphanDependents,
                                           List<String> dryRun) {
        List<StatusCause> causes = new ArrayList<>();
        if (orphanDependents != null && propagationPolicy != null) {
            causes.add(cause(FieldError.invalid("propagationPolicy", propagationPolicy,
                    "orphanDependents and deletionPropagation cannot be both set")));
        }
        if (propagationPolicy != null && !POLICIES.contains(propagationPolicy)) {
            causes.add(cause(FieldError.notSupported("propagationPolicy", propagationPolicy, SUPPORTED_POLICIES)));
        }
        StatusCause dryRunRefusal = DryRun.refusal(dryRun);
        if (dryRunRefusal != null) {
            causes.add(dryRunRefusal);
        }
        if (!causes.isEmpty()) {
            throw StatusException.invalid("meta.k8s.io", "DeleteOptions", "", causes);
        }
        Long grace = gracePeriodSeconds != null && gracePeriodSeconds < 0 ? Long.valueOf(0) : gracePeriodSeconds;
        return new DeleteOptions(grace, propagationPolicy, preconditionUid, preconditionResourceVersion,
                orphanDependents, dryRun != null && !dryRun.isEmpty());
    }

    private static StatusCause cause(FieldError error) {
        return new StatusCause(error.type().reason(), error.body(), error.field());
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
