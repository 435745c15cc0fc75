package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller manager's identity and the per-controller service accounts, over the default policy. */
class ControllerPolicyTest {

    private final RbacAuthorizer rbac = new RbacAuthorizer(Policies.defaults());

    private static final UserInfo MANAGER = new UserInfo("system:kube-controller-manager", "",
            List.of(UserInfo.ALL_AUTHENTICATED), Map.of());

    private static UserInfo controller(String name) {
        return new UserInfo("system:serviceaccount:kube-system:" + name, "uid-" + name,
                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system", UserInfo.ALL_AUTHENTICATED),
                Map.of());
    }

    private boolean can(UserInfo user, String verb, String group, String resource, String subresource, String ns,
                        String name) {
        return rbac.authorize(user, Attributes.resource(verb, group, resource, subresource, ns, name)).allowed();
    }

    @Test
    void theManagerItselfMayWatchEverythingButWriteAlmostNothing() {
        assertThat(can(MANAGER, "list", "apps", "deployments", "", "", "")).isTrue();
        assertThat(can(MANAGER, "watch", "", "pods", "", "", "")).isTrue();
        assertThat(can(MANAGER, "create", "", "serviceaccounts", "token", "kube-system", "job-controller")).isTrue();
        assertThat(can(MANAGER, "create", "", "serviceaccounts", "", "kube-system", "")).isTrue();
        assertThat(can(MANAGER, "update", "coordination.k8s.io", "leases", "", "kube-system",
                "kube-controller-manager")).isTrue();
        assertThat(can(MANAGER, "update", "coordination.k8s.io", "leases", "", "kube-system", "other")).isFalse();
        assertThat(can(MANAGER, "create", "", "pods", "", "default", "")).isFalse();
        assertThat(can(MANAGER, "delete", "", "pods", "", "default", "web")).isFalse();
        assertThat(can(MANAGER, "update", "apps", "deployments", "", "default", "web")).isFalse();
    }

    @Test
    void aControllerMayDoWhatItsRoleListsAndNoMore() {
        UserInfo job = controller("job-controller");
        assertThat(can(job, "create", "", "pods", "", "default", "")).isTrue();
        assertThat(can(job, "update", "batch", "jobs", "status", "default", "once")).isTrue();
        assertThat(can(job, "create", "", "events", "", "default", "")).isTrue();
        assertThat(can(job, "list", "", "secrets", "", "default", "")).isFalse();
        assertThat(can(job, "update", "apps", "deployments", "", "default", "web")).isFalse();

        UserInfo hpa = controller("horizontal-pod-autoscaler");
        assertThat(can(hpa, "update", "apps", "deployments", "scale", "default", "web")).isTrue();
        assertThat(can(hpa, "update", "apps", "deployments", "", "default", "web")).isFalse();

        UserInfo gc = controller("generic-garbage-collector");
        assertThat(can(gc, "delete", "example.com", "widgets", "", "default", "w")).isTrue();
        assertThat(can(gc, "create", "", "pods", "", "default", "")).isFalse();

        UserInfo nodes = controller("node-controller");
        assertThat(can(nodes, "patch", "", "nodes", "", "", "n1")).isTrue();
        assertThat(can(nodes, "delete", "", "pods", "", "default", "p")).isTrue();
    }

    @Test
    void theCertificateControllerApprovesKubeletCertificatesOnly() {
        UserInfo certificates = controller("certificate-controller");
        assertThat(can(certificates, "approve", "certificates.k8s.io", "signers", "", "",
                "kubernetes.io/kube-apiserver-client-kubelet")).isTrue();
        assertThat(can(certificates, "approve", "certificates.k8s.io", "signers", "", "",
                "kubernetes.io/kubelet-serving")).isTrue();
        assertThat(can(certificates, "approve", "certificates.k8s.io", "signers", "", "",
                "kubernetes.io/kube-apiserver-client")).isFalse();
        assertThat(can(certificates, "sign", "certificates.k8s.io", "signers", "", "",
                "kubernetes.io/kube-apiserver-client")).isTrue();
        assertThat(can(certificates, "sign", "certificates.k8s.io", "signers", "", "", "example.com/x")).isFalse();
    }

    @Test
    void everyControllerRoleIsBoundToTheServiceAccountOfItsName() {
        List<ObjectNode> bindings = ControllerPolicy.clusterRoleBindings();
        List<String> roles = ControllerPolicy.clusterRoles().stream().map(r -> Json.text(r, "metadata", "name"))
                .toList();
        assertThat(roles).contains("system:controller:deployment-controller", "system:controller:replicaset-controller",
                "system:controller:namespace-controller", "system:controller:generic-garbage-collector",
                "system:controller:job-controller", "system:controller:cronjob-controller",
                "system:controller:endpointslice-controller", "system:controller:node-controller",
                "system:controller:horizontal-pod-autoscaler", "system:controller:certificate-controller",
                "system:controller:root-ca-cert-publisher").doesNotHaveDuplicates();
        for (ObjectNode binding : bindings) {
            String role = Json.text(binding, "roleRef", "name");
            assertThat(roles).contains(role);
            if (role.startsWith(ControllerPolicy.PREFIX)) {
                assertThat(binding.path("subjects").get(0).path("name").asString())
                        .isEqualTo(role.substring(ControllerPolicy.PREFIX.length()));
                assertThat(binding.path("subjects").get(0).path("namespace").asString()).isEqualTo("kube-system");
            }
        }
        // the broad role of earlier kube4j versions is gone from the defaults
        assertThat(DefaultPolicy.objects()).extracting(o -> Json.text(o, "metadata", "name"))
                .doesNotContain("kube4j:kube-controller-manager");
    }
}
