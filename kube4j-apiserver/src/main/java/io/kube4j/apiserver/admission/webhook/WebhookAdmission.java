package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.patch.JsonPatch;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.MutatingAdmission;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.admission.ReinvocationContext;
import io.kube4j.apiserver.admission.ValidatingAdmission;
import io.kube4j.apiserver.admission.cel.RequestVariables;
import io.kube4j.apiserver.admission.cel.RevisionCache;
import io.kube4j.apiserver.admission.matching.RequestMatcher;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.authz.Decision;
import io.kube4j.apiserver.crd.celrules.CelValues;
import io.kube4j.apiserver.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Admission webhooks (admissionregistration.k8s.io/v1): for every webhook of every MutatingWebhookConfiguration
 * (or ValidatingWebhookConfiguration), in name order (validating ones in parallel), that {@link RequestMatcher}
 * selects and whose {@code matchConditions} (CEL, {@link MatchConditions}) hold, POSTs an admission.k8s.io/v1
 * AdmissionReview over HTTPS - to {@code clientConfig.url}, or to a ready endpoint of {@code clientConfig.service}
 * ({@link ServiceResolver}) with the certificate checked for {@code <name>.<namespace>.svc} - trusting {@code caBundle}, within {@code timeoutSeconds} (default 10, at most
 * 30). A denial is refused with the webhook's status; a mutating webhook's JSONPatch is applied to the object and,
 * if it changed it, the webhooks with {@code reinvocationPolicy: IfNeeded} that already ran are called again in a
 * second mutating pass. A webhook that cannot be called or answers nonsense fails the request under
 * {@code failurePolicy: Fail} (the default) and is skipped under {@code Ignore}. A dry-run request is refused
 * (400) by a matching webhook that may have side effects. Webhook configurations themselves are never sent to
 * webhooks, so a broken webhook can always be removed.
 */
public final class WebhookAdmission implements MutatingAdmission, ValidatingAdmission {

    static final String GROUP = "admissionregistration.k8s.io";
    private static final long DEFAULT_TIMEOUT_SECONDS = 10;
    private static final long MAX_TIMEOUT_SECONDS = 30;
    private static final Set<String> DRY_RUN_SAFE = Set.of("None", "NoneOnDryRun");
    private static final String REVIEW_API_VERSION = "admission.k8s.io/v1";
    /** Threads calling validating webhooks in parallel; idle ones go after a minute. */
    private static final ExecutorService CALLERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-caller");
        thread.setDaemon(true);
        return thread;
    });

    /** Without an authorizer every {@code authorizer} check of a matchCondition answers "no opinion". */
    private static final Authorizer NO_OPINION = (user, attributes) -> Decision.noOpinion("");

    private final ObjectLookup lookup;
    private final boolean mutating;
    private final RequestMatcher matcher;
    private final ServiceResolver services;
    private final Authorizer authorizer;
    /** Each configuration's webhooks' matchConditions, compiled once per uid and resourceVersion. */
    private final RevisionCache<List<MatchConditions>> conditions =
            new RevisionCache<>(WebhookAdmission::compileConditions);

    private WebhookAdmission(ObjectLookup lookup, boolean mutating, Authorizer authorizer) {
        this.lookup = lookup;
        this.mutating = mutating;
        this.matcher = new RequestMatcher(lookup);
        this.services = new ServiceResolver(lookup);
        this.authorizer = authorizer;
    }

    public static WebhookAdmission mutating(ObjectLookup lookup) {
        return mutating(lookup, NO_OPINION);
    }

    public static WebhookAdmission validating(ObjectLookup lookup) {
        return validating(lookup, NO_OPINION);
    }

    /** {@code authorizer} answers the matchConditions' {@code authorizer} checks. */
    public static WebhookAdmission mutating(ObjectLookup lookup, Authorizer authorizer) {
        return new WebhookAdmission(lookup, true, authorizer);
    }

    public static WebhookAdmission validating(ObjectLookup lookup, Authorizer authorizer) {
        return new WebhookAdmission(lookup, false, authorizer);
    }

    @Override
    public String name() {
        return mutating ? "MutatingAdmissionWebhook" : "ValidatingAdmissionWebhook";
    }

    /** Whether any webhook configuration exists: a write may then wait on a webhook's server for up to 30 s. */
    public static boolean anyConfigured(ObjectLookup lookup) {
        return !lookup.list("mutatingwebhookconfigurations", null).isEmpty()
                || !lookup.list("validatingwebhookconfigurations", null).isEmpty();
    }

    @Override
    public void admit(AdmissionRequest request) {
        run(request);
    }

    @Override
    public void validate(AdmissionRequest request) {
        run(request);
    }

    private void run(AdmissionRequest request) {
        if (request.group().equals(GROUP) || request.operation() == Operation.CONNECT) {
            return;
        }
        List<ObjectNode> configurations = lookup.list(mutating ? "mutatingwebhookconfigurations"
                : "validatingwebhookconfigurations", null);
        if (configurations.isEmpty()) {
            return;
        }
        configurations = configurations.stream()
                .sorted(Comparator.comparing(c -> String.valueOf(Json.text(c, "metadata", "name"))))
                .toList();
        conditions.retain(configurations.stream().map(c -> String.valueOf(Json.text(c, "metadata", "uid")))
                .collect(Collectors.toSet()));
        if (mutating) {
            mutate(configurations, request);
        } else {
            validateAll(configurations, request);
        }
    }

    /**
     * Mutating webhooks one after another, each matched against the object as the previous ones left it, with
     * upstream's reinvocation bookkeeping.
     */
    private void mutate(List<ObjectNode> configurations, AdmissionRequest request) {
        ReinvocationContext context = request.reinvocation();
        WebhookReinvocation reinvocation = context.value(name(), WebhookReinvocation::new);
        if (context.isReinvoke() && reinvocation.changedSinceLastInvocation(request.object())) {
            // a plugin after the webhooks changed the object: every IfNeeded webhook sees it again
            reinvocation.requireReinvokingPreviouslyInvoked();
        }
        try {
            for (ObjectNode configuration : configurations) {
                JsonNode webhooks = configuration.get("webhooks");
                if (webhooks == null || !webhooks.isArray()) {
                    continue;
                }
                String configName = String.valueOf(Json.text(configuration, "metadata", "name"));
                for (int i = 0; i < webhooks.size(); i++) {
                    if (!(webhooks.get(i) instanceof ObjectNode hook)) {
                        continue;
                    }
                    RequestMatcher.Invocation invocation = match(configuration, i, hook, request);
                    if (invocation == null) {
                        continue;
                    }
                    String id = configName + "/" + Json.text(hook, "name");
                    if (context.isReinvoke() && !reinvocation.shouldReinvoke(id)) {
                        continue;
                    }
                    boolean changed = call(invocation, request);
                    if (changed) {
                        reinvocation.requireReinvokingPreviouslyInvoked();
                        context.setShouldReinvoke();
                    }
                    if ("IfNeeded".equals(Json.text(hook, "reinvocationPolicy"))) {
                        reinvocation.invokedReinvocable(id);
                    }
                }
            }
        } finally {
            reinvocation.recordOutput(request.object());
        }
        if (!context.isReinvoke() && reinvocation.awaitsReinvocation()) {
            // a mutating plugin after this one may still change the object: the IfNeeded webhooks must see that
            context.setShouldReinvokeIf(() -> reinvocation.changedSinceLastInvocation(request.object()));
        }
    }

    /**
     * Validating webhooks all at once, as upstream calls them in parallel, so slow webhooks do not add up; the
     * first refusal in configuration order is the answer.
     */
    private void validateAll(List<ObjectNode> configurations, AdmissionRequest request) {
        List<RequestMatcher.Invocation> invocations = new ArrayList<>();
        for (ObjectNode configuration : configurations) {
            JsonNode webhooks = configuration.path("webhooks");
            for (int i = 0; i < webhooks.size(); i++) {
                if (webhooks.get(i) instanceof ObjectNode hook) {
                    RequestMatcher.Invocation invocation = match(configuration, i, hook, request);
                    if (invocation != null) {
                        invocations.add(invocation);
                    }
                }
            }
        }
        if (invocations.size() == 1) {
            call(invocations.get(0), request);
            return;
        }
        List<CompletableFuture<RuntimeException>> outcomes = invocations.stream()
                .map(invocation -> CompletableFuture.supplyAsync(() -> {
                    try {
                        call(invocation, request);
                        return (RuntimeException) null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }, CALLERS))
                .toList();
        // every call completes before the answer, as upstream waits for all of them
        List<RuntimeException> refusals = outcomes.stream().map(CompletableFuture::join).toList();
        for (RuntimeException refusal : refusals) {
            if (refusal != null) {
                throw refusal;
            }
        }
    }

    /**
     * The invocation of webhook {@code index} of {@code configuration}, or null when it is not to be called: as
     * upstream's ShouldCallHook, its rules, selectors and then its matchConditions decide. Conditions that cannot be
     * evaluated (none false) refuse the request (403, upstream's words) under failurePolicy Fail and skip the webhook
     * under Ignore.
     */
    private RequestMatcher.Invocation match(ObjectNode configuration, int index, ObjectNode hook,
                                            AdmissionRequest request) {
        RequestMatcher.Invocation invocation = matcher.match(hook, request);
        if (invocation == null || !hook.path("matchConditions").isArray() || hook.path("matchConditions").isEmpty()) {
            return invocation;
        }
        List<MatchConditions> compiled = conditions.get(configuration);
        MatchConditions hookConditions = index < compiled.size() ? compiled.get(index) : MatchConditions.NONE;
        Map<String, Object> variables = RequestVariables.of(invocation, request, authorizer);
        if (invocation.equivalent() != null) {
            // the conditions see the objects in the version the webhook is called with
            variables.put("object", CelValues.dyn(sent(request.object(), invocation)));
            variables.put("oldObject", CelValues.dyn(sent(request.oldObject(), invocation)));
        }
        MatchConditions.Result result = hookConditions.match(variables);
        if (result instanceof MatchConditions.Failed failed && !"Ignore".equals(Json.text(hook, "failurePolicy"))) {
            throw StatusException.forbidden(request.group(), request.resource(), request.errorName(), failed.message());
        }
        return result instanceof MatchConditions.Matches ? invocation : null;
    }

    /** Each webhook's matchConditions, by index; a configuration that is stored compiled, so errors are not kept. */
    private static List<MatchConditions> compileConditions(ObjectNode configuration) {
        List<MatchConditions> compiled = new ArrayList<>();
        JsonNode webhooks = configuration.path("webhooks");
        for (int i = 0; i < webhooks.size(); i++) {
            compiled.add(MatchConditions.compile(webhooks.get(i), "", Set.of(), new ArrayList<>()));
        }
        return compiled;
    }

    /** Calls one webhook and applies its answer; true when its patch changed the object. */
    private boolean call(RequestMatcher.Invocation invocation, AdmissionRequest request) {
        ObjectNode hook = invocation.hook();
        String name = String.valueOf(Json.text(hook, "name"));
        if (request.dryRun() && !DRY_RUN_SAFE.contains(Objects.requireNonNullElse(Json.text(hook, "sideEffects"),
                "Unknown"))) {
            throw StatusException.badRequest("admission webhook \"" + name + "\" does not support dry run");
        }
        boolean ignoreFailure = "Ignore".equals(Json.text(hook, "failurePolicy"));
        ObjectNode review = review(invocation, request);
        ObjectNode response;
        try {
            response = verified(post(hook, review), review);
        } catch (WebhookFailure e) {
            if (ignoreFailure) {
                return false;
            }
            throw StatusException.internalError("failed calling webhook \"" + name + "\": " + e.getMessage());
        }
        JsonNode warnings = response.get("warnings");
        if (warnings != null && warnings.isArray()) {
            // validating webhooks answer on several threads at once
            synchronized (request) {
                warnings.forEach(w -> request.warn(w.asString("")));
            }
        }
        if (!response.path("allowed").asBoolean(false)) {
            throw WebhookDenial.of(name, Json.obj(response, "status"));
        }
        String patch = Json.text(response, "patch");
        if (patch == null || patch.isEmpty()) {
            return false;
        }
        return applyPatch(name, patch, invocation, request);
    }

    private boolean applyPatch(String name, String patch, RequestMatcher.Invocation invocation,
                               AdmissionRequest request) {
        if (request.object() == null) {
            throw StatusException.internalError("admission webhook \"" + name + "\" patched an object of a "
                    + request.operation() + " request, which has none");
        }
        try {
            JsonNode operations = Json.parse(Base64.getMimeDecoder().decode(patch));
            ObjectNode current = invocation.equivalent() == null ? request.object()
                    : invocation.equivalent().to().apply(request.object());
            JsonNode patched = JsonPatch.apply(current.deepCopy(), operations);
            if (!(patched instanceof ObjectNode object)) {
                throw new IllegalArgumentException("the patch does not result in an object");
            }
            ObjectNode result = invocation.equivalent() == null ? object : invocation.equivalent().back().apply(object);
            if (result.equals(request.object())) {
                return false;
            }
            request.object().removeAll();
            request.object().setAll(result);
            return true;
        } catch (RuntimeException e) {
            // upstream: a patch that cannot be applied is an internal error whatever the failurePolicy
            throw StatusException.internalError("admission webhook \"" + name + "\" returned a patch that cannot "
                    + "be applied: " + e.getMessage());
        }
    }

    private ObjectNode review(RequestMatcher.Invocation invocation, AdmissionRequest request) {
        ObjectNode review = Json.object();
        review.put("apiVersion", REVIEW_API_VERSION);
        review.put("kind", "AdmissionReview");
        ObjectNode r = review.putObject("request");
        r.put("uid", UUID.randomUUID().toString());
        r.setAll(invocation.attributes(request));
        r.set("object", sent(request.object(), invocation));
        r.set("oldObject", sent(request.oldObject(), invocation));
        r.put("dryRun", request.dryRun());
        return review;
    }

    private static JsonNode sent(ObjectNode object, RequestMatcher.Invocation invocation) {
        if (object == null) {
            return Json.object().nullNode();
        }
        return invocation.equivalent() == null ? object.deepCopy() : invocation.equivalent().to().apply(object);
    }

    private ObjectNode post(ObjectNode hook, ObjectNode review) throws WebhookFailure {
        ObjectNode clientConfig = Json.obj(hook, "clientConfig");
        long timeout = hook.path("timeoutSeconds").isIntegralNumber() ? hook.path("timeoutSeconds").asLong()
                : DEFAULT_TIMEOUT_SECONDS;
        timeout = Math.max(1, Math.min(MAX_TIMEOUT_SECONDS, timeout));
        WebhookTarget target = target(clientConfig, timeout);
        SSLContext tls;
        try {
            tls = CaBundles.trusting(Json.text(clientConfig, "caBundle"));
        } catch (WebhookFailure e) {
            throw new WebhookFailure("could not get REST client: " + e.getMessage());
        }
        byte[] body;
        try {
            body = WebhookClient.post(target, tls, Json.bytes(review), timeout);
        } catch (WebhookFailure e) {
            throw new WebhookFailure("failed to call webhook: " + e.getMessage());
        }
        try {
            JsonNode answer = Json.parse(body);
            if (!(answer instanceof ObjectNode object)) {
                throw new WebhookFailure("received invalid webhook response: not a JSON object");
            }
            return object;
        } catch (JacksonException e) {
            throw new WebhookFailure("received invalid webhook response: " + e.getOriginalMessage());
        }
    }

    /** Where the webhook is, with upstream's {@code ?timeout=} parameter telling it how long it has. */
    private WebhookTarget target(ObjectNode clientConfig, long timeout) throws WebhookFailure {
        String query = "?timeout=" + timeout + "s";
        String url = clientConfig == null ? null : Json.text(clientConfig, "url");
        if (url != null && !url.isEmpty()) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new WebhookFailure("could not get REST client: invalid URL " + url + ": " + e.getMessage());
            }
            String host = uri.getHost();
            if (!"https".equals(uri.getScheme()) || host == null) {
                throw new WebhookFailure("could not get REST client: invalid URL " + url
                        + ": only https://host[:port][/path] is supported");
            }
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            int port = uri.getPort() < 0 ? 443 : uri.getPort();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new WebhookTarget(host, new InetSocketAddress(host, port), path + query, url + query);
        }
        ObjectNode service = clientConfig == null ? null : Json.obj(clientConfig, "service");
        if (service == null) {
            throw new WebhookFailure("could not get REST client: clientConfig has neither url nor service");
        }
        String namespace = Objects.requireNonNullElse(Json.text(service, "namespace"), "");
        String serviceName = Objects.requireNonNullElse(Json.text(service, "name"), "");
        int port = service.path("port").isIntegralNumber() ? service.path("port").asInt() : 443;
        String path = Objects.requireNonNullElse(Json.text(service, "path"), "");
        path = path.isEmpty() ? "/" : path;
        String serverName = serviceName + "." + namespace + ".svc";
        String shownUrl = "https://" + serverName + ":" + port + path + query;
        try {
            return new WebhookTarget(serverName, services.resolve(namespace, serviceName, port), path + query,
                    shownUrl);
        } catch (WebhookFailure e) {
            throw new WebhookFailure("failed to call webhook: Post \"" + shownUrl + "\": " + e.getMessage());
        }
    }

    /** Upstream's VerifyAdmissionResponse for admission.k8s.io/v1. */
    private ObjectNode verified(ObjectNode answer, ObjectNode review) throws WebhookFailure {
        String apiVersion = Json.text(answer, "apiVersion");
        String kind = Json.text(answer, "kind");
        if (!REVIEW_API_VERSION.equals(apiVersion) || !"AdmissionReview".equals(kind)) {
            throw invalid("expected webhook response of " + REVIEW_API_VERSION + ", Kind=AdmissionReview, got "
                    + apiVersion + ", Kind=" + kind);
        }
        if (!(answer.get("response") instanceof ObjectNode response)) {
            throw invalid("webhook response was absent");
        }
        String expectedUid = Json.text(review, "request", "uid");
        String uid = Objects.requireNonNullElse(Json.text(response, "uid"), "");
        if (!uid.equals(expectedUid)) {
            throw invalid("expected response.uid=\"" + expectedUid + "\", got \"" + uid + "\"");
        }
        String patchType = Objects.requireNonNullElse(Json.text(response, "patchType"), "");
        String patch = Objects.requireNonNullElse(Json.text(response, "patch"), "");
        if (mutating) {
            if (patchType.isEmpty() && !patch.isEmpty()) {
                throw invalid("webhook returned response.patch but not response.patchType");
            }
            if (!patchType.isEmpty() && patch.isEmpty()) {
                throw invalid("webhook returned response.patchType but not response.patch");
            }
            if (!patchType.isEmpty() && !patchType.equals("JSONPatch")) {
                throw invalid("webhook returned invalid response.patchType of \"" + patchType + "\"");
            }
        } else if (!patchType.isEmpty()) {
            throw invalid("validating webhook may not return response.patchType");
        } else if (!patch.isEmpty()) {
            throw invalid("validating webhook may not return response.patch");
        }
        return response;
    }

    private static WebhookFailure invalid(String why) {
        return new WebhookFailure("received invalid webhook response: " + why);
    }
}
