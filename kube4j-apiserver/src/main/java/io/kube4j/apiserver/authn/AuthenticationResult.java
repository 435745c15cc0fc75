package io.kube4j.apiserver.authn;

/**
 * What one authenticator concluded: {@code user} when it recognised the credentials, {@code failure} when they
 * were of its kind but wrong, neither when the request carries nothing it understands.
 */
public record AuthenticationResult(UserInfo user, String failure) {

    private static final AuthenticationResult NOT_APPLICABLE = new AuthenticationResult(null, null);

    public static AuthenticationResult authenticated(UserInfo user) {
        return new AuthenticationResult(user, null);
    }

    public static AuthenticationResult failed(String why) {
        return new AuthenticationResult(null, why);
    }

    public static AuthenticationResult notApplicable() {
        return NOT_APPLICABLE;
    }

    public boolean isAuthenticated() {
        return user != null;
    }

    public boolean isFailure() {
        return failure != null;
    }
}
