package io.kube4j.controllers.clientbuilder;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses how controllers get their clients, by asking the API server who the manager is. */
public final class ControllerClientBuilders {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerClientBuilders.class);

    /** Who every request acts as when the API server serves without authentication (in-process embedding). */
    static final String UNSECURED_USER = "system:unsecured";
    /** Answers meaning "no SelfSubjectReview here", as opposed to a failure to ask (thrown). */
    private static final java.util.Set<Integer> NOT_SERVED = java.util.Set.of(400, 404, 405, 422, 501);

    private ControllerClientBuilders() {
    }

    /**
     * One client per controller service account when {@code useServiceAccountCredentials} and the server
     * authenticates; the manager's own client for all when it does not (no users, hence no tokens to ask for).
     * A failure to ask (the server unreachable, 401) is thrown: falling back then would run the controllers
     * with the manager's narrow rights and fail them one request at a time.
     */
    public static ControllerClientBuilder create(KubernetesClient root, boolean useServiceAccountCredentials,
                                                 Duration tokenLifetime, Clock clock) {
        if (!useServiceAccountCredentials) {
            return new SharedClientBuilder(root, "the controller manager's own credentials");
        }
        String user;
        try {
            SelfSubjectReview review = root.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            user = review == null || review.getStatus() == null || review.getStatus().getUserInfo() == null
                    ? null : review.getStatus().getUserInfo().getUsername();
        } catch (KubernetesClientException e) {
            // a server that does not serve or understand the review (a test double, a bare store) has no users
            if (!NOT_SERVED.contains(e.getCode())) {
                throw e;
            }
            user = null;
        }
        if (user == null || user.isEmpty() || user.equals(UNSECURED_USER)) {
            LOG.info("the API server does not authenticate; every controller uses the controller manager's client");
            return new SharedClientBuilder(root, user == null || user.isEmpty() ? "unauthenticated" : user);
        }
        return new ServiceAccountClientBuilder(root, tokenLifetime, clock);
    }
}
