package io.kube4j.apiserver.authn;

/** One way of recognising a request's credentials. */
@FunctionalInterface
public interface Authenticator {

    AuthenticationResult authenticate(AuthenticationRequest request);
}
