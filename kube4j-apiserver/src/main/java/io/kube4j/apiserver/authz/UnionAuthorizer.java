package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Authorizers asked in order; the first allow or deny decides, as upstream's union. If all have no opinion the
 * request is denied, with the reasons joined.
 */
public final class UnionAuthorizer implements Authorizer {

    private final List<Authorizer> authorizers;

    public UnionAuthorizer(List<Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    /**
     * The API server's standard chain: system:masters, then the Node authorizer, then RBAC (upstream's
     * {@code --authorization-mode=Node,RBAC} behind the privileged-group short circuit).
     */
    public static UnionAuthorizer standard(NodeAuthorizer node, RbacAuthorizer rbac) {
        return new UnionAuthorizer(List.of(new PrivilegedGroupAuthorizer(UserInfo.SYSTEM_MASTERS), node, rbac));
    }

    @Override
    public Decision authorize(UserInfo user, Attributes attributes) {
        List<String> reasons = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Decision decision = authorizer.authorize(user, attributes);
            if (decision.verdict() != Decision.Verdict.NO_OPINION) {
                return decision;
            }
            if (!decision.reason().isEmpty()) {
                reasons.add(decision.reason());
            }
        }
        return Decision.noOpinion(String.join(", ", reasons));
    }
}
