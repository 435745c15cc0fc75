package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;

/** Members of a privileged group (system:masters) may do anything, even before RBAC objects exist. */
public final class PrivilegedGroupAuthorizer implements Authorizer {

    private final String group;

    public PrivilegedGroupAuthorizer(String group) {
        this.group = group;
    }

    @Override
    public Decision authorize(UserInfo user, Attributes attributes) {
        return user.inGroup(group) ? Decision.allow("") : Decision.noOpinion("");
    }
}
