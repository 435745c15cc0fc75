package io.kube4j.apiserver.security;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.TokenAuthenticator;
import io.kube4j.apiserver.authn.TokenReviews;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.AccessReviews;
import io.kube4j.apiserver.endpoints.UnstoredRoutes;
import io.kube4j.apiserver.endpoints.FieldValidation;
import io.kube4j.apiserver.endpoints.MediaTypes;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.endpoints.ResourceHandler;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * The create-only review APIs: authorization.k8s.io/v1 selfsubjectaccessreviews, subjectaccessreviews,
 * localsubjectaccessreviews, selfsubjectrulesreviews and authentication.k8s.io/v1 tokenreviews,
 * selfsubjectreviews. Nothing is stored; each answer is the posted object with its status filled in.
 */
public final class ReviewEndpoints {

    static final String AUTHORIZATION = "authorization.k8s.io";
    static final String AUTHENTICATION = "authentication.k8s.io";
    /** The groups whose types served without storage are the reviews. */
    private static final Set<String> GROUPS = Set.of(AUTHORIZATION, AUTHENTICATION);

    private final AccessReviews reviews;
    private final TokenAuthenticator tokens;
    private final List<String> apiAudiences;

    public ReviewEndpoints(AccessReviews reviews, TokenAuthenticator tokens, List<String> apiAudiences) {
        this.reviews = reviews;
        this.tokens = tokens;
        this.apiAudiences = List.copyOf(apiAudiences);
    }

    /**
     * True for one of the review resources: the types of their groups that kube4j-api's registry marks as served
     * without storage ({@link ResourceType#stored()}), so discovery and the OpenAPI documents list them.
     */
    public static boolean handles(ResourceType type) {
        return !type.stored() && GROUPS.contains(type.group());
    }

    /**
     * Answers a create of {@code type}, one of the reviews. Its body is decoded and checked as the generic create's
     * (upstream serves these through its generic create handler): {@code fieldValidation} refuses (Strict), warns of
     * (Warn, the default) or drops (Ignore) unknown and duplicate fields, and a value its field cannot hold is a 400.
     */
    public void handle(RequestInfo info, ResourceType type, ApiRequest request, ResponseSink sink, UserInfo user) {
        UnstoredRoutes.check(info, type, request);
        FieldValidation validation = FieldValidation.of(request);
        ObjectNode body = Json.object();
        if (request.body().length > 0) {
            body = ResourceHandler.writeBody(request, type, validation);
            validation.checkBody(type, body);
        }
        ObjectNode answer = switch (info.resource()) {
            case "selfsubjectaccessreviews" -> reviews.selfSubjectAccessReview(body, user);
            case "subjectaccessreviews" -> reviews.subjectAccessReview(body, null);
            case "localsubjectaccessreviews" -> reviews.subjectAccessReview(body, info.namespace());
            case "selfsubjectrulesreviews" -> reviews.selfSubjectRulesReview(body, user);
            case "tokenreviews" -> TokenReviews.evaluate(body, tokens, apiAudiences);
            case "selfsubjectreviews" -> AccessReviews.selfSubjectReview(body, user);
            default -> throw StatusException.pathNotFound();
        };
        sink.send(201, MediaTypes.JSON, Json.bytes(answer), validation.headers());
    }
}
