package io.kube4j.apiserver.authn;

/** Recognises a bearer token; also what TokenReview evaluates. */
@FunctionalInterface
public interface TokenAuthenticator {

    /** {@code audiences} are those the token must be meant for; empty means the API server's own. */
    AuthenticationResult authenticateToken(String token, java.util.List<String> audiences);
}
