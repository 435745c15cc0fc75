package io.kube4j.apiserver.admission.matching;

import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authn.TokenReviews;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Whether one webhook is called for a request, as upstream's ShouldCallHook decides: its namespaceSelector (the
 * labels of the request's namespace; a Namespace is matched by its own labels; other cluster-scoped objects always
 * pass), its objectSelector (the new or the old object's labels), then its rules - exactly, or under
 * {@code matchPolicy: Equivalent} (the default) through an equivalent resource. Admission policies match their
 * matchResources with it too (their rules in place of a webhook's), as upstream's policy matcher shares the
 * webhooks' predicates.
 */
public final class RequestMatcher {

    /** A webhook to call: the request's resource, and the one the webhook is called as (differs if equivalent). */
    public record Invocation(ObjectNode hook, EquivalentResources.Gvr requested, EquivalentResources.Gvr called,
                      EquivalentResources.Equivalent equivalent) {

        /**
         * The AdmissionRequest's attributes as this match presents {@code request}, without uid, objects and dryRun:
         * kinds, resources, subresources, name, namespace, operation, user and options. Webhooks are sent them;
         * admission expressions read them (with dryRun) as their CEL {@code request}.
         */
        public ObjectNode attributes(AdmissionRequest request) {
            ObjectNode r = Json.object();
            r.putObject("kind").put("group", called.group()).put("version", called.version())
                    .put("kind", called.kind());
            r.putObject("resource").put("group", called.group()).put("version", called.version())
                    .put("resource", called.resource());
            if (!request.subresource().isEmpty()) {
                r.put("subResource", request.subresource());
            }
            r.putObject("requestKind").put("group", requested.group()).put("version", requested.version())
                    .put("kind", requested.kind());
            r.putObject("requestResource").put("group", requested.group()).put("version", requested.version())
                    .put("resource", requested.resource());
            if (!request.subresource().isEmpty()) {
                r.put("requestSubResource", request.subresource());
            }
            // as upstream's omitempty: a create by generateName has no name yet
            if (!request.name().isEmpty()) {
                r.put("name", request.name());
            }
            if (!request.namespace().isEmpty()) {
                r.put("namespace", request.namespace());
            }
            r.put("operation", request.operation().name());
            if (request.user() != null) {
                r.set("userInfo", TokenReviews.userJson(request.user()));
            }
            if (request.options() != null) {
                r.set("options", request.options().deepCopy());
            }
            return r;
        }
    }

    private final ObjectLookup lookup;

    public RequestMatcher(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    /** The invocation of {@code hook} for {@code request}, or null when it does not apply. */
    public Invocation match(ObjectNode hook, AdmissionRequest request) {
        if (!namespaceMatches(Json.obj(hook, "namespaceSelector"), request)
                || !objectMatches(Json.obj(hook, "objectSelector"), request)) {
            return null;
        }
        EquivalentResources.Gvr requested = requested(request);
        // a Namespace (and its subresources) is cluster-scoped whatever namespace the request names
        boolean namespaced = !request.namespace().isEmpty()
                && !(request.group().isEmpty() && request.resource().equals("namespaces"));
        if (ResourceRules.matches(hook.get("rules"), request.operation(), requested.group(), requested.version(),
                requested.resource(), request.subresource(), namespaced)) {
            return new Invocation(hook, requested, requested, null);
        }
        if ("Exact".equals(Json.text(hook, "matchPolicy")) || !request.subresource().isEmpty()) {
            return null;
        }
        for (EquivalentResources.Equivalent equivalent : EquivalentResources.of(requested.group(),
                requested.version(), requested.resource())) {
            EquivalentResources.Gvr gvr = equivalent.gvr();
            if (ResourceRules.matches(hook.get("rules"), request.operation(), gvr.group(), gvr.version(),
                    gvr.resource(), "", namespaced)) {
                return new Invocation(hook, requested, gvr, equivalent);
            }
        }
        return null;
    }

    /** The group/version/resource/kind the request was made through (the version from the object's apiVersion). */
    static EquivalentResources.Gvr requested(AdmissionRequest request) {
        ObjectNode object = request.object() != null ? request.object() : request.oldObject();
        String apiVersion = object == null ? null : Json.text(object, "apiVersion");
        String version = "v1";
        if (apiVersion != null) {
            int slash = apiVersion.indexOf('/');
            version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        }
        String kind = object == null ? null : Json.text(object, "kind");
        return new EquivalentResources.Gvr(request.group(), version, request.resource(), kind == null ? "" : kind);
    }

    private boolean namespaceMatches(ObjectNode selectorJson, AdmissionRequest request) {
        if (selectorJson == null || selectorJson.isEmpty()) {
            return true;
        }
        boolean namespaceObject = request.group().isEmpty() && request.resource().equals("namespaces");
        if (request.namespace().isEmpty() && !namespaceObject) {
            // a cluster-scoped object other than a Namespace is never exempted
            return true;
        }
        Map<String, String> labels;
        if (namespaceObject && request.subresource().isEmpty()
                && (request.operation() == Operation.CREATE || request.operation() == Operation.UPDATE)) {
            // the Namespace being written: its new labels, the stored ones are not there yet
            labels = labels(request.object());
        } else {
            String name = namespaceObject ? request.name() : request.namespace();
            labels = lookup.get("namespaces", null, name)
                    .map(ns -> Json.stringMap(Json.obj(ns, "metadata", "labels"))).orElse(Map.of());
        }
        return selector(selectorJson).matches(labels);
    }

    private static boolean objectMatches(ObjectNode selectorJson, AdmissionRequest request) {
        if (selectorJson == null || selectorJson.isEmpty()) {
            return true;
        }
        LabelSelector selector = selector(selectorJson);
        return (request.object() != null && selector.matches(labels(request.object())))
                || (request.oldObject() != null && selector.matches(labels(request.oldObject())));
    }

    /** A selector stored before validation refused it matches nothing, rather than everything. */
    private static LabelSelector selector(ObjectNode json) {
        try {
            return LabelSelector.fromJson(json);
        } catch (RuntimeException invalid) {
            return LabelSelector.nothing();
        }
    }

    private static Map<String, String> labels(ObjectNode object) {
        return object == null ? Map.of() : Json.stringMap(Json.obj(object, "metadata", "labels"));
    }
}
