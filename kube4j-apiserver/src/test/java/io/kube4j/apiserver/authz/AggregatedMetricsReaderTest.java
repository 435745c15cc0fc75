package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.UserInfo;
import org.junit.jupiter.api.Test;

import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;

/** Upstream's system:aggregated-metrics-reader: whoever may view a namespace may read its pods' usage. */
class AggregatedMetricsReaderTest {

    final InMemoryRbacSource source = Policies.defaults();
    final RbacAuthorizer rbac = new RbacAuthorizer(source);
    final UserInfo jane = UserInfo.of("jane", "system:authenticated");

    boolean allowed(String verb, String resource, String ns) {
        return rbac.authorize(jane, Attributes.resource(verb, "metrics.k8s.io", resource, "", ns, "")).allowed();
    }

    @Test
    void viewEditAndAdminReadPodMetricsInTheirNamespaceOnly() {
        assertThat(allowed("list", "pods", "dev")).as("unbound").isFalse();

        for (String role : new String[]{"view", "edit", "admin"}) {
            InMemoryRbacSource fresh = Policies.defaults();
            fresh.put(roleBinding("dev", "jane-" + role, "ClusterRole", role, DefaultPolicy.user("jane")));
            RbacAuthorizer authorizer = new RbacAuthorizer(fresh);
            assertThat(authorizer.authorize(jane, Attributes.resource("list", "metrics.k8s.io", "pods", "", "dev", ""))
                    .allowed()).as(role).isTrue();
            assertThat(authorizer.authorize(jane, Attributes.resource("list", "metrics.k8s.io", "pods", "", "prod", ""))
                    .allowed()).as(role + " elsewhere").isFalse();
            assertThat(authorizer.authorize(jane, Attributes.resource("create", "metrics.k8s.io", "pods", "", "dev", ""))
                    .allowed()).as(role + " writing").isFalse();
        }
    }

    @Test
    void boundClusterWideItReadsNodeMetrics() {
        source.put(roleBinding(null, "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));

        assertThat(allowed("get", "nodes", "")).isTrue();
        assertThat(allowed("list", "pods", "")).isTrue();
    }
}
