package io.kube4j.apiserver.authn;

import io.kube4j.api.status.StatusException;

import java.util.ArrayList;
import java.util.List;

/**
 * The authentication step of the request path, as upstream composes it: every authenticator is tried; the first
 * that recognises the request wins and its user gains {@code system:authenticated}. Credentials that nobody
 * accepts - a bearer token or client certificate no authenticator recognised, or one that failed - are a 401.
 * Only a request with no credentials at all is anonymous (when anonymous access is enabled).
 */
public final class RequestAuthenticator {

    private final List<Authenticator> authenticators;
    private final boolean anonymousEnabled;

    public RequestAuthenticator(List<Authenticator> authenticators, boolean anonymousEnabled) {
        this.authenticators = List.copyOf(authenticators);
        this.anonymousEnabled = anonymousEnabled;
    }

    /** The user, or a 401 StatusException. */
    public UserInfo authenticate(AuthenticationRequest request) {
        List<String> failures = new ArrayList<>();
        for (Authenticator authenticator : authenticators) {
            AuthenticationResult result;
            try {
                result = authenticator.authenticate(request);
            } catch (RuntimeException e) {
                // a malformed credential must never turn into a 500 or into access
                result = AuthenticationResult.failed("invalid credentials");
            }
            if (result.isAuthenticated()) {
                return result.user().withAuthenticatedGroup();
            }
            if (result.isFailure()) {
                failures.add(result.failure());
            }
        }
        boolean presentedCredentials = request.bearerToken() != null || !request.clientCertificates().isEmpty()
                || request.header("authorization") != null;
        if (!presentedCredentials && anonymousEnabled && failures.isEmpty()) {
            return UserInfo.ANONYMOUS;
        }
        throw StatusException.unauthorized("Unauthorized");
    }
}
