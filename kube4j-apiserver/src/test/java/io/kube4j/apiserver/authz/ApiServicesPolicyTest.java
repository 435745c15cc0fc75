package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;
import org.junit.jupiter.api.Test;

import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream's bootstrap policy grants apiregistration.k8s.io apiservices to no default role but cluster-admin: the
 * user-facing view, edit and admin roles (and so the system:aggregate-to-* roles) leave them out.
 */
class ApiServicesPolicyTest {

    final UserInfo jane = UserInfo.of("jane", "system:authenticated");

    private static boolean allowed(RbacAuthorizer rbac, UserInfo user, String verb) {
        return rbac.authorize(user, Attributes.resource(verb, "apiregistration.k8s.io", "apiservices", "", "", ""))
                .allowed();
    }

    @Test
    void viewEditAndAdminDoNotReachApiServices() {
        for (String role : new String[]{"view", "edit", "admin"}) {
            InMemoryRbacSource source = Policies.defaults();
            source.put(roleBinding(null, "jane-" + role, "ClusterRole", role, DefaultPolicy.user("jane")));
            RbacAuthorizer rbac = new RbacAuthorizer(source);
            assertThat(allowed(rbac, jane, "list")).as(role).isFalse();
            assertThat(allowed(rbac, jane, "get")).as(role).isFalse();
        }
    }

    @Test
    void clusterAdminDoesEverything() {
        InMemoryRbacSource source = Policies.defaults();
        source.put(roleBinding(null, "jane-admin", "ClusterRole", "cluster-admin", DefaultPolicy.user("jane")));
        RbacAuthorizer rbac = new RbacAuthorizer(source);
        for (String verb : new String[]{"get", "list", "watch", "create", "update", "patch", "delete"}) {
            assertThat(allowed(rbac, jane, verb)).as(verb).isTrue();
        }
    }
}
