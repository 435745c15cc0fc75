package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.UserInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class NodeAuthorizerTest {

    final FakeLookup lookup = new FakeLookup();
    final NodeAuthorizer node = new NodeAuthorizer(lookup);
    final Authorizer chain = UnionAuthorizer.standard(node, new RbacAuthorizer(Policies.defaults()));
    final UserInfo n1 = UserInfo.of("system:node:n1", "system:nodes", "system:authenticated");

    @BeforeEach
    void pods() {
        pod("default", "a", "n1", "secret-a", "config-a", "claim-a", "sa-a");
        pod("default", "b", "n2", "secret-b", "config-b", "claim-b", "sa-b");
        ObjectNode pvc = FakeLookup.object("default", "claim-a", "u");
        pvc.putObject("spec").put("volumeName", "pv-a");
        lookup.put("persistentvolumeclaims", pvc);
    }

    void pod(String ns, String name, String nodeName, String secret, String configMap, String claim, String sa) {
        ObjectNode pod = FakeLookup.object(ns, name, name + "-uid");
        ObjectNode spec = pod.putObject("spec");
        spec.put("nodeName", nodeName).put("serviceAccountName", sa);
        var volumes = spec.putArray("volumes");
        volumes.addObject().put("name", "s").putObject("secret").put("secretName", secret);
        volumes.addObject().put("name", "c").putObject("configMap").put("name", configMap);
        volumes.addObject().put("name", "p").putObject("persistentVolumeClaim").put("claimName", claim);
        spec.putArray("containers").addObject().put("name", "app").putArray("env").addObject().put("name", "X")
                .putObject("valueFrom").putObject("secretKeyRef").put("name", secret + "-env").put("key", "k");
        lookup.put("pods", pod);
    }

    boolean allowed(String verb, String group, String resource, String sub, String ns, String name) {
        return chain.authorize(n1, Attributes.resource(verb, group, resource, sub, ns, name)).allowed();
    }

    @Test
    void readsOnlyWhatItsPodsReference() {
        assertThat(allowed("get", "", "secrets", "", "default", "secret-a")).isTrue();
        assertThat(allowed("watch", "", "secrets", "", "default", "secret-a-env")).isTrue();
        assertThat(allowed("get", "", "secrets", "", "default", "secret-b")).isFalse();
        assertThat(allowed("list", "", "secrets", "", "default", "")).isFalse();
        assertThat(allowed("update", "", "secrets", "", "default", "secret-a")).isFalse();
        assertThat(allowed("get", "", "configmaps", "", "default", "config-a")).isTrue();
        assertThat(allowed("get", "", "configmaps", "", "default", "config-b")).isFalse();
        assertThat(allowed("get", "", "persistentvolumeclaims", "", "default", "claim-a")).isTrue();
        assertThat(allowed("get", "", "persistentvolumeclaims", "", "default", "claim-b")).isFalse();
        assertThat(allowed("get", "", "persistentvolumes", "", "", "pv-a")).isTrue();
        assertThat(allowed("get", "", "persistentvolumes", "", "", "pv-b")).isFalse();
        assertThat(allowed("create", "", "serviceaccounts", "token", "default", "sa-a")).isTrue();
        assertThat(allowed("create", "", "serviceaccounts", "token", "default", "sa-b")).isFalse();
    }

    @Test
    void deniedSecretReadHasUpstreamsReason() {
        Attributes attributes = Attributes.resource("get", "", "secrets", "", "default", "secret-b");
        Decision decision = chain.authorize(n1, attributes);
        assertThat(Forbidden.exception(n1, attributes, decision.reason()).getMessage()).isEqualTo(
                "secrets \"secret-b\" is forbidden: User \"system:node:n1\" cannot get resource \"secrets\" in API "
                        + "group \"\" in the namespace \"default\": no relationship found between node 'n1' and "
                        + "this object");
    }

    @Test
    void modifiesOnlyItsOwnNodeAndLease() {
        assertThat(allowed("get", "", "nodes", "", "", "n2")).isTrue();
        assertThat(allowed("create", "", "nodes", "", "", "")).isTrue();
        assertThat(allowed("patch", "", "nodes", "status", "", "n1")).isTrue();
        assertThat(allowed("patch", "", "nodes", "status", "", "n2")).isFalse();
        assertThat(allowed("update", "", "nodes", "", "", "n2")).isFalse();
        assertThat(allowed("delete", "", "nodes", "", "", "n2")).isFalse();
        assertThat(allowed("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n1")).isTrue();
        assertThat(allowed("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n2")).isFalse();
        assertThat(allowed("update", "coordination.k8s.io", "leases", "", "kube-system", "n1")).isFalse();
    }

    @Test
    void otherNodeRulesApplyAndOtherUsersAreNotJudged() {
        assertThat(allowed("list", "", "pods", "", "", "")).isTrue();
        assertThat(allowed("patch", "", "pods", "status", "default", "a")).isTrue();
        assertThat(allowed("list", "", "services", "", "", "")).isTrue();
        assertThat(allowed("delete", "", "services", "", "default", "x")).isFalse();
        assertThat(node.authorize(UserInfo.of("system:node:n1"), Attributes.resource("get", "", "secrets", "",
                "default", "secret-a")).verdict()).as("not in system:nodes").isEqualTo(Decision.Verdict.NO_OPINION);
    }
}
