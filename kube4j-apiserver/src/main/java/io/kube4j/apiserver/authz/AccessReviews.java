package io.kube4j.apiserver.authz;

import io.kube4j.api.status.ErrorAggregate;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.TokenReviews;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The review APIs that make {@code kubectl auth can-i [--list]} and {@code kubectl auth whoami} work:
 * SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview
 * (authorization.k8s.io/v1) and SelfSubjectReview (authentication.k8s.io/v1). Each takes the POSTed object and
 * returns it with its status filled in.
 */
public final class AccessReviews {

    private static final String AUTHORIZATION = "authorization.k8s.io";

    private final Authorizer authorizer;
    private final RbacAuthorizer rbac;

    public AccessReviews(Authorizer authorizer, RbacAuthorizer rbac) {
        this.authorizer = authorizer;
        this.rbac = rbac;
    }

    public ObjectNode selfSubjectAccessReview(ObjectNode review, UserInfo user) {
        ObjectNode spec = Json.obj(review, "spec");
        Attributes attributes = attributes(spec, "SelfSubjectAccessReview");
        return answer(review, "SelfSubjectAccessReview", authorizer.authorize(user, attributes));
    }

    /** SubjectAccessReview; for LocalSubjectAccessReview pass the namespace of the URL (the spec must agree). */
    public ObjectNode subjectAccessReview(ObjectNode review, String urlNamespace) {
        ObjectNode spec = Json.obj(review, "spec");
        String kind = urlNamespace == null ? "SubjectAccessReview" : "LocalSubjectAccessReview";
        Attributes attributes = attributes(spec, kind);
        if (urlNamespace != null && !urlNamespace.equals(attributes.namespace())) {
            throw StatusException.invalid(AUTHORIZATION, kind, "", List.of(new StatusCause("FieldValueInvalid",
                    "Invalid value: \"" + attributes.namespace() + "\": must match metadata.namespace",
                    "spec.resourceAttributes.namespace")));
        }
        String userName = Json.text(spec, "user");
        List<String> groups = strings(spec.get("groups"));
        if ((userName == null || userName.isEmpty()) && groups.isEmpty()) {
            throw StatusException.invalid(AUTHORIZATION, kind, "", List.of(new StatusCause("FieldValueInvalid",
                    "Invalid value: \"\": at least one of user or group must be specified", "spec.user")));
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        ObjectNode extraNode = Json.obj(spec, "extra");
        if (extraNode != null) {
            for (Map.Entry<String, JsonNode> e : extraNode.properties()) {
                extra.put(e.getKey(), strings(e.getValue()));
            }
        }
        UserInfo user = new UserInfo(userName == null ? "" : userName, Json.text(spec, "uid"), groups, extra);
        return answer(review, kind, authorizer.authorize(user, attributes));
    }

    public ObjectNode selfSubjectRulesReview(ObjectNode review, UserInfo user) {
        String namespace = Json.text(review, "spec", "namespace");
        RbacAuthorizer.ResolvedRules resolved = rbac.rulesFor(user, namespace == null ? "" : namespace);
        ObjectNode out = review.deepCopy();
        out.put("apiVersion", AUTHORIZATION + "/v1");
        out.put("kind", "SelfSubjectRulesReview");
        ObjectNode status = out.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (PolicyRule rule : resolved.rules()) {
            if (!rule.resources().isEmpty()) {
                ObjectNode json = Json.object();
                array(json, "verbs", rule.verbs());
                array(json, "apiGroups", rule.apiGroups());
                array(json, "resources", rule.resources());
                if (!rule.resourceNames().isEmpty()) {
                    array(json, "resourceNames", rule.resourceNames());
                }
                resourceRules.add(json);
            }
            if (!rule.nonResourceURLs().isEmpty()) {
                ObjectNode json = Json.object();
                array(json, "verbs", rule.verbs());
                array(json, "nonResourceURLs", rule.nonResourceURLs());
                nonResourceRules.add(json);
            }
        }
        // as upstream's RBAC rule resolver: the rules it could read are listed as complete, the errors met on the way
        // (a binding to a missing role, a read that failed) aggregated in evaluationError
        status.put("incomplete", false);
        if (!resolved.errors().isEmpty()) {
            status.put("evaluationError", ErrorAggregate.message(resolved.errors()));
        }
        return out;
    }

    public static ObjectNode selfSubjectReview(ObjectNode review, UserInfo user) {
        ObjectNode out = review == null ? Json.object() : review.deepCopy();
        out.put("apiVersion", "authentication.k8s.io/v1");
        out.put("kind", "SelfSubjectReview");
        ObjectNode metadata = Json.metadata(out);
        if (!metadata.has("creationTimestamp")) {
            metadata.putNull("creationTimestamp");
        }
        out.putObject("status").set("userInfo", TokenReviews.userJson(user));
        return out;
    }

    private static Attributes attributes(ObjectNode spec, String kind) {
        if (spec == null) {
            throw StatusException.invalid(AUTHORIZATION, kind, "", List.of(new StatusCause("FieldValueRequired",
                    "Required value", "spec")));
        }
        ObjectNode resource = Json.obj(spec, "resourceAttributes");
        ObjectNode nonResource = Json.obj(spec, "nonResourceAttributes");
        if ((resource == null) == (nonResource == null)) {
            throw StatusException.invalid(AUTHORIZATION, kind, "", List.of(new StatusCause("FieldValueInvalid",
                    "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be "
                            + "specified", "spec.resourceAttributes")));
        }
        if (resource != null) {
            return Attributes.resource(text(resource, "verb"), text(resource, "group"), text(resource, "resource"),
                    text(resource, "subresource"), text(resource, "namespace"), text(resource, "name"));
        }
        return Attributes.nonResource(text(nonResource, "verb"), text(nonResource, "path"));
    }

    private static ObjectNode answer(ObjectNode review, String kind, Decision decision) {
        ObjectNode out = review.deepCopy();
        out.put("apiVersion", AUTHORIZATION + "/v1");
        out.put("kind", kind);
        ObjectNode status = out.putObject("status");
        status.put("allowed", decision.allowed());
        if (decision.verdict() == Decision.Verdict.DENY) {
            status.put("denied", true);
        }
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
        if (decision.errored()) {
            status.put("evaluationError", decision.error());
        }
        return out;
    }

    private static String text(ObjectNode node, String field) {
        String value = Json.text(node, field);
        return value == null ? "" : value;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(v -> values.add(v.asString("")));
        }
        return values;
    }

    private static void array(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }
}
