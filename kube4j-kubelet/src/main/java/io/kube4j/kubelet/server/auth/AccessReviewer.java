package io.kube4j.kubelet.server.auth;

/** Asks the API server whether a user may do something (a SubjectAccessReview). */
@FunctionalInterface
public interface AccessReviewer {

    /** True when allowed; throws when the API server cannot be asked. */
    boolean allowed(User user, RequestAttributes attributes);
}
