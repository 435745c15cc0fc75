package io.kube4j.apiserver.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a data directory: the broad kube4j:kube-controller-manager role and binding of earlier versions go at
 * start, since the controller manager now acts through per-controller service accounts; an administrator's own
 * object of that name (without the bootstrapping label) stays.
 */
class ObsoleteDefaultsTest {

    private static final String ROLES = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
    private static final String BINDINGS = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";

    @Test
    void theOldBroadControllerManagerRoleGoesOnRestart(@TempDir Path dir) {
        try (SecureServer old = SecureServer.start(dir)) {
            // what an earlier kube4j created at start
            assertThat(old.send(old.admin(), "POST", ROLES, """
                    {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
                     "metadata":{"name":"kube4j:kube-controller-manager",
                                 "labels":{"kubernetes.io/bootstrapping":"rbac-defaults"}},
                     "rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}""").statusCode()).isEqualTo(201);
            assertThat(old.send(old.admin(), "POST", BINDINGS, """
                    {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
                     "metadata":{"name":"kube4j:kube-controller-manager",
                                 "labels":{"kubernetes.io/bootstrapping":"rbac-defaults"}},
                     "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole",
                                "name":"kube4j:kube-controller-manager"},
                     "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User",
                                  "name":"system:kube-controller-manager"}]}""").statusCode()).isEqualTo(201);
        }
        try (SecureServer upgraded = SecureServer.start(dir)) {
            assertThat(upgraded.get(upgraded.admin(), ROLES + "/kube4j:kube-controller-manager").statusCode())
                    .isEqualTo(404);
            assertThat(upgraded.get(upgraded.admin(), BINDINGS + "/kube4j:kube-controller-manager").statusCode())
                    .isEqualTo(404);
            assertThat(upgraded.get(upgraded.admin(), ROLES + "/system:controller:job-controller").statusCode())
                    .isEqualTo(200);
            // an administrator's object of that name is theirs to keep
            assertThat(upgraded.send(upgraded.admin(), "POST", ROLES, """
                    {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
                     "metadata":{"name":"kube4j:kube-controller-manager"},
                     "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""").statusCode())
                    .isEqualTo(201);
        }
        try (SecureServer again = SecureServer.start(dir)) {
            assertThat(again.get(again.admin(), ROLES + "/kube4j:kube-controller-manager").statusCode())
                    .isEqualTo(200);
        }
    }
}
