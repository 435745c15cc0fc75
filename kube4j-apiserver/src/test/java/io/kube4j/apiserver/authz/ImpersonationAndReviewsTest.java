package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImpersonationAndReviewsTest {

    final InMemoryRbacSource source = Policies.defaults();
    final RbacAuthorizer rbac = new RbacAuthorizer(source);
    final Authorizer chain = UnionAuthorizer.standard(new NodeAuthorizer(new io.kube4j.apiserver.authn.FakeLookup()),
            rbac);
    final Impersonation impersonation = new Impersonation(chain);
    final UserInfo jane = UserInfo.of("jane", "system:authenticated");

    @Test
    void impersonationNeedsTheImpersonateVerb() {
        assertThatThrownBy(() -> impersonation.apply(jane, Map.of("Impersonate-User", "bob")))
                .isInstanceOf(StatusException.class)
                .hasMessage("users \"bob\" is forbidden: User \"jane\" cannot impersonate resource \"users\" in API "
                        + "group \"\" at the cluster scope");

        source.put(Policies.clusterRole("impersonator", new PolicyRule(List.of("impersonate"), List.of(""),
                List.of("users", "groups"), List.of(), List.of())));
        source.put(roleBinding(null, "jane-impersonates", "ClusterRole", "impersonator", DefaultPolicy.user("jane")));

        UserInfo bob = impersonation.apply(jane, Map.of("Impersonate-User", "bob", "Impersonate-Group", "devs"));
        assertThat(bob.name()).isEqualTo("bob");
        assertThat(bob.groups()).containsExactly("devs", "system:authenticated");

        assertThatThrownBy(() -> impersonation.apply(jane, Map.of("Impersonate-User", "system:serviceaccount:x:y")))
                .isInstanceOf(StatusException.class).hasMessageContaining("serviceaccounts");
    }

    @Test
    void mastersImpersonateServiceAccountsWithTheirGroups() {
        UserInfo admin = UserInfo.of("system:admin", "system:masters", "system:authenticated");
        UserInfo sa = impersonation.apply(admin, Map.of("Impersonate-User", "system:serviceaccount:ci:builder"));
        assertThat(sa.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:ci",
                "system:authenticated");
        assertThat(impersonation.apply(admin, Map.of())).isSameAs(admin);
        assertThatThrownBy(() -> impersonation.apply(admin, Map.of("Impersonate-Group", "devs")))
                .isInstanceOf(StatusException.class)
                .extracting(e -> ((StatusException) e).code()).isEqualTo(400);
    }

    @Test
    void selfSubjectAccessReviewAnswersCanI() {
        source.put(roleBinding("dev", "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));
        AccessReviews reviews = new AccessReviews(chain, rbac);
        ObjectNode review = Json.object();
        review.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
        review.putObject("spec").putObject("resourceAttributes").put("verb", "list").put("resource", "pods")
                .put("namespace", "dev");
        assertThat(reviews.selfSubjectAccessReview(review, jane).path("status").path("allowed").asBoolean()).isTrue();
        ((ObjectNode) review.path("spec").path("resourceAttributes")).put("namespace", "prod");
        assertThat(reviews.selfSubjectAccessReview(review, jane).path("status").path("allowed").asBoolean())
                .isFalse();

        ObjectNode sar = Json.object();
        sar.putObject("spec").put("user", "jane").putObject("resourceAttributes").put("verb", "get")
                .put("resource", "pods").put("namespace", "dev");
        assertThat(reviews.subjectAccessReview(sar, null).path("status").path("allowed").asBoolean()).isTrue();
        ObjectNode nobody = Json.object();
        nobody.putObject("spec").putObject("nonResourceAttributes").put("verb", "get").put("path", "/x");
        assertThatThrownBy(() -> reviews.subjectAccessReview(nobody, null)).isInstanceOf(StatusException.class);
    }

    @Test
    void selfSubjectRulesReviewListsTheBoundRules() {
        source.put(roleBinding("dev", "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));
        AccessReviews reviews = new AccessReviews(chain, rbac);
        ObjectNode review = Json.object();
        review.putObject("spec").put("namespace", "dev");
        ObjectNode status = (ObjectNode) reviews.selfSubjectRulesReview(review, jane).get("status");
        assertThat(status.path("resourceRules").toString()).contains("selfsubjectaccessreviews", "\"pods\"");
        assertThat(status.path("resourceRules").toString()).doesNotContain("\"secrets\"");
        assertThat(status.path("nonResourceRules").toString()).contains("/healthz", "/apis/*");
        assertThat(status.path("incomplete").asBoolean()).isFalse();

        review.putObject("spec").put("namespace", "prod");
        ObjectNode prod = (ObjectNode) reviews.selfSubjectRulesReview(review, jane).get("status");
        assertThat(prod.path("resourceRules").toString()).doesNotContain("\"pods\"");
    }

    @Test
    void selfSubjectReviewReportsWhoAmI() {
        UserInfo sa = new UserInfo("system:serviceaccount:ci:builder", "u1",
                List.of("system:serviceaccounts", "system:authenticated"),
                Map.of("authentication.kubernetes.io/pod-name", List.of("p")));
        ObjectNode result = AccessReviews.selfSubjectReview(Json.object(), sa);
        ObjectNode user = (ObjectNode) result.path("status").path("userInfo");
        assertThat(user.path("username").asString()).isEqualTo("system:serviceaccount:ci:builder");
        assertThat(user.path("uid").asString()).isEqualTo("u1");
        assertThat(user.path("extra").path("authentication.kubernetes.io/pod-name").get(0).asString()).isEqualTo("p");
        assertThat(result.path("kind").asString()).isEqualTo("SelfSubjectReview");
    }
}
