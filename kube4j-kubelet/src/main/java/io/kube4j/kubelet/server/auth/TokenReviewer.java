package io.kube4j.kubelet.server.auth;

import java.util.Optional;

/** Asks the API server who a bearer token belongs to (a TokenReview). */
@FunctionalInterface
public interface TokenReviewer {

    /** The token's user, or empty when the API server does not accept it; throws when it cannot be asked. */
    Optional<User> review(String token);
}
