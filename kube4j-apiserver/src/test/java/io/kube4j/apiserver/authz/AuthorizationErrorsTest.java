package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.audit.AuditAnnotations;
import io.kube4j.apiserver.authn.RequestAuthenticator;
import io.kube4j.apiserver.authn.TokenFileAuthenticator;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static io.kube4j.apiserver.authz.AccessControlTest.request;
import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reasons and evaluation errors as upstream's union authorizer, RBAC and authorization filter report them: reasons
 * joined by newlines; an authorizer that could not evaluate a request (here: one that throws) leaves the next ones
 * to decide, and a request none allowed is then the server's 500 (plain text, audited as {@code internal error})
 * rather than a 403, and a SubjectAccessReview's {@code status.evaluationError}; RBAC's own read failures are part of
 * its reason, aggregated as upstream's errors are.
 */
class AuthorizationErrorsTest {

    private static final UserInfo JANE = new UserInfo("jane", "1", List.of("system:authenticated"), Map.of());
    private static final Attributes LIST_PODS = Attributes.resource("list", "", "pods", "", "dev", "");
    private static final Authorizer BROKEN = (user, attributes) -> {
        throw StatusException.internalError("etcdserver: request timed out");
    };

    private static AccessControl gate(Authorizer authorizer) {
        return new AccessControl(new RequestAuthenticator(List.of(TokenFileAuthenticator.parse("jane-token,jane,1\n")),
                true), authorizer);
    }

    @Test
    void reasonsOfAuthorizersWithoutAnOpinionAreJoinedByNewlines() {
        Authorizer chain = new UnionAuthorizer(List.of((u, a) -> Decision.noOpinion("first says no"),
                (u, a) -> Decision.noOpinion(""), (u, a) -> Decision.noOpinion("second says no")));
        Decision decision = chain.authorize(JANE, LIST_PODS);
        assertThat(decision.reason()).isEqualTo("first says no\nsecond says no");
        assertThat(decision.errored()).isFalse();

        StatusException forbidden = catchThrowableOfType(StatusException.class, () -> gate(chain)
                .check(request("GET", "/api/v1/namespaces/dev/pods", Map.of("Authorization", "Bearer jane-token")),
                        List.of()));
        assertThat(forbidden.code()).isEqualTo(403);
        assertThat(forbidden.getMessage()).isEqualTo("pods is forbidden: User \"jane\" cannot list resource \"pods\" "
                + "in API group \"\" in the namespace \"dev\": first says no\nsecond says no");
    }

    @Test
    void anAuthorizerThatCannotEvaluateLeavesTheDecisionToTheNext() {
        Decision allowed = new UnionAuthorizer(List.of(BROKEN, (u, a) -> Decision.allow("fine"))).authorize(JANE,
                LIST_PODS);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.reason()).isEqualTo("fine");

        Decision failed = new UnionAuthorizer(List.of(BROKEN, (u, a) -> Decision.noOpinion("nothing bound"), BROKEN,
                (u, a) -> Decision.failed("", "webhook unreachable"))).authorize(JANE, LIST_PODS);
        assertThat(failed.allowed()).isFalse();
        assertThat(failed.reason()).isEqualTo("nothing bound");
        // upstream's aggregate: the same message once, several in brackets
        assertThat(failed.error()).isEqualTo("[Internal error occurred: etcdserver: request timed out, "
                + "webhook unreachable]");
    }

    @Test
    void aRefusalWithAnEvaluationErrorIsTheServersFailureNotAForbidden() {
        AccessControl gate = gate(new UnionAuthorizer(List.of(BROKEN, (u, a) -> Decision.noOpinion("no binding"))));
        AuditAnnotations audit = new AuditAnnotations();
        var jane = request("GET", "/api/v1/namespaces/dev/pods", Map.of("Authorization", "Bearer jane-token"));
        UserInfo user = gate.authenticate(jane, List.of());

        AuthorizationFailed failed = catchThrowableOfType(AuthorizationFailed.class,
                () -> gate.authorize(jane, user, audit));

        assertThat(failed.plainText()).isEqualTo("Internal Server Error: \"/api/v1/namespaces/dev/pods\": "
                + "Internal error occurred: etcdserver: request timed out\n");
        assertThat(audit.snapshot()).isEqualTo(Map.of("authorization.k8s.io/reason", "internal error"));
    }

    @Test
    void aSubjectAccessReviewReportsTheEvaluationError() {
        AccessReviews reviews = new AccessReviews(new UnionAuthorizer(List.of(BROKEN,
                (u, a) -> Decision.noOpinion("no binding"))), new RbacAuthorizer(Policies.defaults()));
        ObjectNode review = (ObjectNode) Json.parse(("{\"spec\":{\"user\":\"jane\",\"resourceAttributes\":"
                + "{\"verb\":\"list\",\"resource\":\"pods\",\"namespace\":\"dev\"}}}").getBytes());

        ObjectNode status = (ObjectNode) reviews.subjectAccessReview(review, null).get("status");

        assertThat(status.toString()).isEqualTo("{\"allowed\":false,\"reason\":\"no binding\",\"evaluationError\":"
                + "\"Internal error occurred: etcdserver: request timed out\"}");
    }

    @Test
    void rbacReportsBindingsItCouldNotReadAndMissingRolesInItsReasonOnce() {
        InMemoryRbacSource roles = Policies.defaults();
        roles.put(roleBinding(null, "gone-1", "ClusterRole", "gone", DefaultPolicy.user("jane")));
        roles.put(roleBinding(null, "gone-2", "ClusterRole", "gone", DefaultPolicy.user("jane")));
        RbacSource unreadableRoleBindings = new RbacSource() {
            @Override
            public java.util.Optional<ObjectNode> role(String namespace, String name) {
                return roles.role(namespace, name);
            }

            @Override
            public java.util.Optional<ObjectNode> clusterRole(String name) {
                return roles.clusterRole(name);
            }

            @Override
            public List<ObjectNode> roleBindings(String namespace) {
                throw StatusException.serviceUnavailable("the store is unavailable");
            }

            @Override
            public List<ObjectNode> clusterRoleBindings() {
                return roles.clusterRoleBindings();
            }
        };
        RbacAuthorizer rbac = new RbacAuthorizer(unreadableRoleBindings);

        Decision decision = rbac.authorize(JANE, LIST_PODS);

        // as upstream's rule resolver: errors met on the way are RBAC's reason, no evaluation error
        assertThat(decision.verdict()).isEqualTo(Decision.Verdict.NO_OPINION);
        assertThat(decision.errored()).isFalse();
        assertThat(decision.reason()).isEqualTo("RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, "
                + "the store is unavailable]");

        ObjectNode review = Json.object();
        review.putObject("spec").put("namespace", "dev");
        ObjectNode status = (ObjectNode) new AccessReviews(rbac, rbac).selfSubjectRulesReview(review, JANE)
                .get("status");
        assertThat(status.path("incomplete").asBoolean(true)).isFalse();
        assertThat(status.path("evaluationError").asString()).isEqualTo("[clusterrole.rbac.authorization.k8s.io "
                + "\"gone\" not found, the store is unavailable]");
    }
}
