package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;

/** Decides whether a user may do what the attributes describe. */
@FunctionalInterface
public interface Authorizer {

    Decision authorize(UserInfo user, Attributes attributes);
}
