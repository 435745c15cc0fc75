package io.kube4j.apiserver.authz;

import io.kube4j.api.status.ErrorAggregate;
import io.kube4j.apiserver.authn.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Authorizers asked in order; the first allow or deny decides, as upstream's union. If all have no opinion the
 * request is denied, with their reasons joined by newlines and the errors of those that could not evaluate it
 * aggregated (upstream's {@code utilerrors.NewAggregate}).
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
        List<String> errors = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Decision decision = authorize(authorizer, user, attributes);
            if (decision.verdict() != Decision.Verdict.NO_OPINION) {
                return decision;
            }
            if (!decision.reason().isEmpty()) {
                reasons.add(decision.reason());
            }
            if (decision.errored()) {
                errors.add(decision.error());
            }
        }
        String reason = String.join("\n", reasons);
        return errors.isEmpty() ? Decision.noOpinion(reason) : Decision.failed(reason, ErrorAggregate.message(errors));
    }

    /**
     * One authorizer's decision; one that throws (an object it reads could not be read) could not evaluate the
     * request - upstream's authorizers return that as their error - and the next ones still decide.
     */
    private static Decision authorize(Authorizer authorizer, UserInfo user, Attributes attributes) {
        try {
            return authorizer.authorize(user, attributes);
        } catch (RuntimeException e) {
            return Decision.failed("", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
