package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;

class RbacAuthorizerTest {

    final InMemoryRbacSource source = Policies.defaults();
    final RbacAuthorizer rbac = new RbacAuthorizer(source);
    final UserInfo jane = UserInfo.of("jane", "system:authenticated");

    boolean allowed(UserInfo user, String verb, String group, String resource, String sub, String ns, String name) {
        return rbac.authorize(user, Attributes.resource(verb, group, resource, sub, ns, name)).allowed();
    }

    @Test
    void viewBoundInOneNamespaceReadsThereOnlyAndNotSecrets() {
        source.put(roleBinding("dev", "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));

        assertThat(allowed(jane, "list", "", "pods", "", "dev", "")).isTrue();
        assertThat(allowed(jane, "get", "", "pods", "log", "dev", "web")).isTrue();
        assertThat(allowed(jane, "get", "apps", "deployments", "", "dev", "web")).isTrue();
        assertThat(allowed(jane, "get", "", "secrets", "", "dev", "s")).isFalse();
        assertThat(allowed(jane, "create", "", "pods", "", "dev", "")).isFalse();
        assertThat(allowed(jane, "list", "", "pods", "", "default", "")).isFalse();
        assertThat(allowed(jane, "list", "", "pods", "", "", "")).as("cluster-wide").isFalse();
    }

    @Test
    void forbiddenMessagesAreUpstreams() {
        Attributes listPods = Attributes.resource("list", "", "pods", "", "default", "");
        Decision decision = rbac.authorize(jane, listPods);
        StatusException error = Forbidden.exception(jane, listPods, decision.reason());
        assertThat(error.code()).isEqualTo(403);
        assertThat(error.getMessage()).isEqualTo(
                "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace "
                        + "\"default\"");
        assertThat(error.toStatus().path("reason").asString()).isEqualTo("Forbidden");
        assertThat(error.toStatus().path("details").path("kind").asString()).isEqualTo("pods");

        assertThat(Forbidden.exception(jane, Attributes.resource("get", "apps", "deployments", "scale", "", "web"), "")
                .getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: User \"jane\" cannot get resource "
                + "\"deployments/scale\" in API group \"apps\" at the cluster scope");
        assertThat(Forbidden.exception(jane, Attributes.nonResource("get", "/metrics"), "").getMessage())
                .isEqualTo("forbidden: User \"jane\" cannot get path \"/metrics\"");
        assertThat(Forbidden.denial(UserInfo.ANONYMOUS, listPods, "").code()).isEqualTo(401);
    }

    @Test
    void missingRoleIsReportedAsTheReason() {
        source.put(roleBinding("dev", "broken", "Role", "nope", DefaultPolicy.user("jane")));
        Decision decision = rbac.authorize(jane, Attributes.resource("get", "", "pods", "", "dev", "x"));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("RBAC: role.rbac.authorization.k8s.io \"nope\" not found");
    }

    @Test
    void defaultRolesMatchUpstreamsIntent() {
        UserInfo viewer = UserInfo.of("v", "viewers");
        UserInfo editor = UserInfo.of("e", "editors");
        UserInfo admin = UserInfo.of("a", "admins");
        source.put(roleBinding(null, "v", "ClusterRole", "view", DefaultPolicy.group("viewers")));
        source.put(roleBinding(null, "e", "ClusterRole", "edit", DefaultPolicy.group("editors")));
        source.put(roleBinding(null, "a", "ClusterRole", "admin", DefaultPolicy.group("admins")));

        assertThat(allowed(viewer, "get", "", "pods", "", "x", "p")).isTrue();
        assertThat(allowed(viewer, "get", "", "secrets", "", "x", "s")).isFalse();
        assertThat(allowed(viewer, "get", "rbac.authorization.k8s.io", "roles", "", "x", "r")).isFalse();
        assertThat(allowed(editor, "get", "", "secrets", "", "x", "s")).isTrue();
        assertThat(allowed(editor, "create", "apps", "deployments", "", "x", "")).isTrue();
        assertThat(allowed(editor, "create", "", "pods", "exec", "x", "p")).isTrue();
        assertThat(allowed(editor, "create", "rbac.authorization.k8s.io", "rolebindings", "", "x", "")).isFalse();
        assertThat(allowed(admin, "create", "rbac.authorization.k8s.io", "rolebindings", "", "x", "")).isTrue();
        assertThat(allowed(admin, "delete", "", "pods", "", "x", "p")).isTrue();
        assertThat(allowed(admin, "create", "", "nodes", "", "", "")).isFalse();

        UserInfo masters = UserInfo.of("root", "system:masters");
        assertThat(allowed(masters, "delete", "", "nodes", "", "", "n1")).isTrue();
        assertThat(rbac.authorize(masters, Attributes.nonResource("get", "/metrics")).allowed()).isTrue();

        UserInfo scheduler = UserInfo.of("system:kube-scheduler", "system:authenticated");
        assertThat(allowed(scheduler, "create", "", "pods", "binding", "x", "p")).isTrue();
        assertThat(allowed(scheduler, "update", "coordination.k8s.io", "leases", "", "kube-system",
                "kube-scheduler")).isTrue();
        assertThat(allowed(scheduler, "update", "coordination.k8s.io", "leases", "", "kube-system", "other"))
                .isFalse();
        assertThat(allowed(scheduler, "get", "", "secrets", "", "x", "s")).isFalse();
        UserInfo proxy = UserInfo.of("system:kube-proxy", "system:authenticated");
        assertThat(allowed(proxy, "watch", "discovery.k8s.io", "endpointslices", "", "", "")).isTrue();
    }

    @Test
    void anonymousReachesOnlyPublicInfo() {
        for (String path : List.of("/healthz", "/livez", "/readyz", "/version")) {
            assertThat(rbac.authorize(UserInfo.ANONYMOUS, Attributes.nonResource("get", path)).allowed())
                    .as(path).isTrue();
        }
        assertThat(rbac.authorize(UserInfo.ANONYMOUS, Attributes.nonResource("get", "/api")).allowed()).isFalse();
        assertThat(rbac.authorize(UserInfo.ANONYMOUS, Attributes.resource("list", "", "pods", "", "", "")).allowed())
                .isFalse();
        assertThat(rbac.authorize(jane, Attributes.nonResource("get", "/apis/apps/v1")).allowed()).isTrue();
        assertThat(allowed(jane, "create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", "")).isTrue();
    }

    @Test
    void serviceAccountSubjectsDefaultToTheBindingNamespace() {
        ObjectNode subject = Json.object().put("kind", "ServiceAccount").put("name", "builder");
        source.put(roleBinding("ci", "sa-edit", "ClusterRole", "edit", subject));
        UserInfo sa = UserInfo.of("system:serviceaccount:ci:builder", "system:serviceaccounts");
        UserInfo otherNs = UserInfo.of("system:serviceaccount:prod:builder", "system:serviceaccounts");
        assertThat(allowed(sa, "create", "", "configmaps", "", "ci", "")).isTrue();
        assertThat(allowed(otherNs, "create", "", "configmaps", "", "ci", "")).isFalse();
    }

    @Test
    void namespaceGetIsAuthorizedInTheNamespaceItself() {
        source.put(roleBinding("dev", "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));
        RequestInfo info = RequestInfo.parse("GET", "/api/v1/namespaces/dev", false);
        Attributes attributes = Attributes.fromRequest("GET", "/api/v1/namespaces/dev", info, null);
        assertThat(attributes.namespace()).isEqualTo("dev");
        assertThat(rbac.authorize(jane, attributes).allowed()).isTrue();
    }

    @Test
    void fieldSelectorOnNameAuthorizesAsANamedRequest() {
        RequestInfo info = RequestInfo.parse("GET", "/api/v1/namespaces/dev/secrets", true);
        Attributes attributes = Attributes.fromRequest("GET", "/api/v1/namespaces/dev/secrets", info,
                "metadata.name=token");
        assertThat(attributes.verb()).isEqualTo("watch");
        assertThat(attributes.name()).isEqualTo("token");
        assertThat(Attributes.fromRequest("GET", "/healthz", null, null))
                .isEqualTo(Attributes.nonResource("get", "/healthz"));
    }

    @Test
    void aggregationPicksUpLabelledRoles() {
        ObjectNode crd = Policies.clusterRole("crontabs-view",
                Policies.rule(List.of("get", "list"), List.of("stable.example.com"), List.of("crontabs")));
        Json.child(Json.metadata(crd), "labels").put(DefaultPolicy.AGGREGATE_TO_VIEW, "true");
        source.put(crd);
        List<ObjectNode> updates = ClusterRoleAggregator.reconcile(source.allClusterRoles());
        assertThat(updates).extracting(r -> Json.text(r, "metadata", "name"))
                .containsExactlyInAnyOrder("view", "edit", "admin");
        updates.forEach(source::put);
        assertThat(ClusterRoleAggregator.reconcile(source.allClusterRoles())).as("stable once applied").isEmpty();

        source.put(roleBinding("dev", "jane-admin", "ClusterRole", "admin", DefaultPolicy.user("jane")));
        assertThat(allowed(jane, "list", "stable.example.com", "crontabs", "", "dev", "")).isTrue();
        assertThat(allowed(jane, "delete", "stable.example.com", "crontabs", "", "dev", "x")).isFalse();
    }

    @Test
    void defaultPolicyObjectsAreWellFormed() {
        for (ObjectNode object : DefaultPolicy.objects()) {
            assertThat(Json.text(object, "apiVersion")).isEqualTo("rbac.authorization.k8s.io/v1");
            assertThat(Json.text(object, "metadata", "name")).isNotBlank();
            assertThat(Json.text(object, "metadata", "labels", "kubernetes.io/bootstrapping"))
                    .isEqualTo("rbac-defaults");
        }
        assertThat(DefaultPolicy.objects()).extracting(o -> Json.text(o, "metadata", "name"))
                .contains("cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user",
                        "system:public-info-viewer", "system:node", "system:node-proxier", "system:kube-scheduler",
                        "system:kube-controller-manager");
    }
}
