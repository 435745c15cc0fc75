package io.kube4j.apiserver.authn;

import java.util.List;

/** Several token authenticators as one, for TokenReview: the first that recognises the token answers. */
public final class UnionTokenAuthenticator implements TokenAuthenticator {

    private final List<TokenAuthenticator> authenticators;

    public UnionTokenAuthenticator(List<TokenAuthenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public AuthenticationResult authenticateToken(String token, List<String> audiences) {
        AuthenticationResult failure = null;
        for (TokenAuthenticator authenticator : authenticators) {
            AuthenticationResult result;
            try {
                result = authenticator.authenticateToken(token, audiences);
            } catch (RuntimeException e) {
                result = AuthenticationResult.failed("invalid bearer token");
            }
            if (result.isAuthenticated()) {
                return AuthenticationResult.authenticated(result.user().withAuthenticatedGroup());
            }
            if (result.isFailure() && failure == null) {
                failure = result;
            }
        }
        return failure != null ? failure : AuthenticationResult.failed("invalid bearer token");
    }
}
