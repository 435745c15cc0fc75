package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusDetails;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.ValidatingAdmission;
import io.kube4j.apiserver.admission.cel.RequestVariables;
import io.kube4j.apiserver.admission.matching.RequestMatcher;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.authz.Decision;
import io.kube4j.apiserver.crd.celrules.CelValues;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ValidatingAdmissionPolicy plugin (upstream's {@code plugin/policy/validating}): for every binding whose policy
 * exists, when the policy's matchConstraints and the binding's matchResources cover the request, the policy is
 * evaluated ({@link PolicyEvaluator}) once per param the binding's paramRef selects, and each failure is acted on as
 * the binding's validationActions say: Deny refuses the request (the first refusal, with upstream's message, reason
 * Invalid unless the validation names another, and that reason's code), Warn adds upstream's Warning, Audit the audit
 * annotation {@value #VALIDATION_FAILURE} (a JSON list of one failure; as upstream's, the request's first such
 * annotation is the one kept). The policy's auditAnnotations that give a value are added as
 * {@code <policy>/<key>}, the distinct values of several bindings or params joined with ", "; one that cannot be
 * evaluated refuses the request under failurePolicy Fail. A binding that cannot be set up (its params missing under
 * parameterNotFoundAction Deny, a param kind not served) refuses under failurePolicy Fail.
 */
public final class ValidatingPolicyAdmission implements ValidatingAdmission {

    static final String POLICIES = "validatingadmissionpolicies";
    static final String BINDINGS = "validatingadmissionpolicybindings";
    static final String VALIDATION_FAILURE = "validation.policy.admission.k8s.io/validation_failure";

    private final ObjectLookup lookup;
    private final ParamSource params;
    private final PolicyMatcher matcher;
    private final PolicyCache cache = new PolicyCache();
    private final Authorizer authorizer;

    public ValidatingPolicyAdmission(ObjectLookup lookup, ParamSource params) {
        // no authorizer: every authorizer check answers "no opinion", so is not allowed
        this(lookup, params, (user, attributes) -> Decision.noOpinion(""));
    }

    /** {@code authorizer} answers the expressions' {@code authorizer} checks. */
    public ValidatingPolicyAdmission(ObjectLookup lookup, ParamSource params, Authorizer authorizer) {
        this.lookup = lookup;
        this.params = params;
        this.authorizer = authorizer;
        this.matcher = new PolicyMatcher(lookup);
    }

    @Override
    public String name() {
        return "ValidatingAdmissionPolicy";
    }

    @Override
    public void validate(AdmissionRequest request) {
        // upstream never applies policies to the policy resources themselves: a bad policy could lock itself in
        if (request.group().equals(PolicyStrategy.GROUP)
                && (request.resource().equals(POLICIES) || request.resource().equals(BINDINGS))) {
            return;
        }
        List<ObjectNode> bindings = lookup.list(BINDINGS, null);
        if (bindings.isEmpty()) {
            return;
        }
        Map<String, List<ObjectNode>> bindingsByPolicy = new TreeMap<>();
        bindings.stream().sorted(Comparator.comparing(b -> String.valueOf(Json.text(b, "metadata", "name"))))
                .forEach(b -> bindingsByPolicy.computeIfAbsent(String.valueOf(Json.text(b, "spec", "policyName")),
                        k -> new ArrayList<>()).add(b));
        Map<String, ObjectNode> policies = new HashMap<>();
        Set<String> uids = new HashSet<>();
        for (ObjectNode policy : lookup.list(POLICIES, null)) {
            policies.put(Json.text(policy, "metadata", "name"), policy);
            uids.add(String.valueOf(Json.text(policy, "metadata", "uid")));
        }
        cache.retain(uids);
        Denial denial = null;
        for (Map.Entry<String, List<ObjectNode>> entry : bindingsByPolicy.entrySet()) {
            ObjectNode policy = policies.get(entry.getKey());
            if (policy == null) {
                continue;
            }
            Denial denied = apply(policy, entry.getValue(), request);
            denial = denial == null ? denied : denial;
        }
        if (denial != null) {
            throw denial.toStatus(request);
        }
    }

    /** The first refusal of {@code policy} through its {@code bindings}, or null; warnings go on the request. */
    private Denial apply(ObjectNode policy, List<ObjectNode> bindings, AdmissionRequest request) {
        RequestMatcher.Invocation invocation = matcher.match(policy.path("spec").get("matchConstraints"), request);
        if (invocation == null) {
            return null;
        }
        String policyName = Json.text(policy, "metadata", "name");
        boolean failOnError = !"Ignore".equals(Json.text(policy, "spec", "failurePolicy"));
        CompiledPolicy compiled = cache.get(policy);
        Denial first = null;
        Map<String, Object> inputs = null;
        // each annotation key's distinct values, over all bindings and params, in the order found
        Map<String, Set<String>> annotations = new LinkedHashMap<>();
        for (ObjectNode binding : bindings) {
            if (!matcher.covers(binding.path("spec").get("matchResources"), request)) {
                continue;
            }
            String bindingName = Json.text(binding, "metadata", "name");
            List<JsonNode> bindingParams;
            try {
                bindingParams = collectParams(policy, binding, request);
            } catch (ParamsUnavailable e) {
                if (failOnError && first == null) {
                    first = new Denial(policyName, bindingName, "failed to configure binding: " + e.getMessage(),
                            null);
                }
                continue;
            }
            if (inputs == null && !bindingParams.isEmpty()) {
                inputs = inputs(invocation, request);
            }
            List<String> actions = new ArrayList<>();
            binding.path("spec").path("validationActions").forEach(a -> actions.add(a.asString("")));
            for (JsonNode param : bindingParams) {
                Map<String, Object> activation = new HashMap<>(inputs);
                if (compiled.hasParams()) {
                    activation.put("params", CelValues.dyn(param));
                }
                PolicyEvaluator.Result result = PolicyEvaluator.evaluate(compiled, activation, failOnError);
                for (PolicyDecision decision : result.decisions()) {
                    if (actions.contains("Deny") && first == null) {
                        first = new Denial(policyName, bindingName, decision.message(), decision.reason());
                    }
                    if (actions.contains("Audit")) {
                        request.addAuditAnnotation(VALIDATION_FAILURE, validationFailure(decision, policyName,
                                bindingName, actions));
                    }
                    if (actions.contains("Warn")) {
                        request.warn("Validation failed for ValidatingAdmissionPolicy '" + policyName
                                + "' with binding '" + bindingName + "': " + decision.message());
                    }
                }
                result.auditAnnotations().forEach((key, value) ->
                        annotations.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value));
                for (String error : result.auditAnnotationErrors()) {
                    first = first != null ? first : new Denial(policyName, bindingName, error, null);
                }
            }
        }
        annotations.forEach((key, values) -> request.addAuditAnnotation(policyName + "/" + key,
                String.join(", ", values)));
        return first;
    }

    /** Upstream's validation_failure value: a JSON list of one failure, encoded as Go's encoding/json does. */
    private static String validationFailure(PolicyDecision decision, String policy, String binding,
                                            List<String> actions) {
        ObjectNode failure = Json.object();
        failure.put("message", decision.message());
        failure.put("policy", policy);
        failure.put("binding", binding);
        failure.put("expressionIndex", decision.expressionIndex());
        actions.forEach(failure.putArray("validationActions")::add);
        // in upstream's field order (a struct, not a map), escaped as encoding/json escapes
        return io.kube4j.api.patch.GoJson.escapeHtml(Json.MAPPER.writeValueAsString(List.of(failure)));
    }

    /** The CEL variables every binding of a policy shares for this request. */
    private Map<String, Object> inputs(RequestMatcher.Invocation invocation, AdmissionRequest request) {
        Map<String, Object> inputs = RequestVariables.of(invocation, request, authorizer);
        ObjectNode namespace = null;
        // as upstream: a Namespace is not its own namespaceObject
        boolean namespaceItself = request.group().isEmpty() && request.resource().equals("namespaces");
        if (!request.namespace().isEmpty() && !namespaceItself) {
            namespace = lookup.getCachedThenLive("namespaces", null, request.namespace()).orElse(null);
        }
        inputs.put("namespaceObject", CelValues.dyn(namespace));
        return inputs;
    }

    /** A binding's params cannot be had: the message is upstream's. */
    private static final class ParamsUnavailable extends Exception {
        ParamsUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The params to evaluate the policy with, as upstream's CollectParams: one null param when the policy has no
     * paramKind or the binding no paramRef; else the named param or those the selector selects, in the paramRef's
     * namespace or the request's. None found under parameterNotFoundAction Allow: no evaluation.
     */
    private List<JsonNode> collectParams(ObjectNode policy, ObjectNode binding, AdmissionRequest request)
            throws ParamsUnavailable {
        JsonNode kind = policy.path("spec").get("paramKind");
        JsonNode ref = binding.path("spec").get("paramRef");
        List<JsonNode> single = new ArrayList<>(1);
        single.add(null);
        if (kind == null || !kind.isObject() || ref == null || !ref.isObject()) {
            return single;
        }
        String apiVersion = Json.text(kind, "apiVersion");
        String kindName = Json.text(kind, "kind");
        ParamSource.Params resource = params.resource(String.valueOf(apiVersion), String.valueOf(kindName))
                .orElseThrow(() -> new ParamsUnavailable("paramKind kind `" + paramKindString(kind)
                        + "` not known"));
        String refNamespace = Json.text(ref, "namespace");
        String namespace = null;
        if (resource.namespaced()) {
            namespace = refNamespace != null && !refNamespace.isEmpty() ? refNamespace : request.namespace();
            if (namespace.isEmpty()) {
                throw new ParamsUnavailable("cannot use namespaced paramRef in policy binding that matches "
                        + "cluster-scoped resources");
            }
        } else if (refNamespace != null && !refNamespace.isEmpty()) {
            throw new ParamsUnavailable("paramRef.namespace must not be provided for a cluster-scoped `paramKind`");
        }
        String name = Json.text(ref, "name");
        List<JsonNode> found = new ArrayList<>();
        if (name != null && !name.isEmpty()) {
            resource.get(namespace, name).ifPresent(found::add);
        } else if (ref.get("selector") instanceof ObjectNode selector) {
            LabelSelector parsed;
            try {
                parsed = LabelSelector.fromJson(selector);
            } catch (RuntimeException invalid) {
                throw new ParamsUnavailable(invalid.getMessage());
            }
            found.addAll(resource.list(namespace, parsed));
        } else {
            throw new ParamsUnavailable("one of name or selector must be provided");
        }
        if (found.isEmpty() && !"Allow".equals(Json.text(ref, "parameterNotFoundAction"))) {
            throw new ParamsUnavailable("no params found for policy binding with `Deny` parameterNotFoundAction");
        }
        return found;
    }

    /** A ParamKind as Go's generated String() prints it. */
    private static String paramKindString(JsonNode kind) {
        return "&ParamKind{APIVersion:" + Json.text(kind, "apiVersion") + ",Kind:" + Json.text(kind, "kind") + ",}";
    }

    /** The refusal of one policy through one binding. */
    private record Denial(String policy, String binding, String message, String reason) {

        /**
         * Upstream's: admission.NewForbidden's message and details, with the validation's reason (Invalid when it
         * names none) and that reason's code, and the message again as the one cause.
         */
        StatusException toStatus(AdmissionRequest request) {
            String why = "ValidatingAdmissionPolicy '" + policy + "' with binding '" + binding + "' denied request: "
                    + message;
            StatusReason statusReason = StatusReason.INVALID;
            for (StatusReason candidate : StatusReason.values()) {
                if (candidate.wireName().equals(reason)) {
                    statusReason = candidate;
                }
            }
            String text = StatusException.forbidden(request.group(), request.resource(), request.errorName(), why)
                    .getMessage();
            return new StatusException(statusReason, text, new StatusDetails(request.errorName(), request.group(),
                    request.resource(), null, List.of(new StatusCause(null, why, null)), 0));
        }
    }
}
