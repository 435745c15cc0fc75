package io.kube4j.kubelet.server.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Optional;

/** TokenReview and SubjectAccessReview through the API server, with the kubelet's own credentials. */
public final class ApiServerReviews implements TokenReviewer, AccessReviewer {

    private final KubernetesClient client;

    public ApiServerReviews(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<User> review(String token) {
        TokenReview review = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
                .create();
        if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
            return Optional.empty();
        }
        UserInfo user = review.getStatus().getUser();
        if (user == null || user.getUsername() == null || user.getUsername().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new User(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
    }

    @Override
    public boolean allowed(User user, RequestAttributes attributes) {
        SubjectAccessReview review = client.resource(new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(user.name()).withUid(user.uid().isEmpty() ? null : user.uid()).withGroups(user.groups())
                .withExtra(user.extra().isEmpty() ? null : user.extra())
                .withNewResourceAttributes().withGroup("").withVersion("v1").withResource(attributes.resource())
                .withSubresource(attributes.subresource()).withName(attributes.name()).withVerb(attributes.verb())
                .endResourceAttributes().endSpec().build()).create();
        return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
