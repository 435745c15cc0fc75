package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.RequestAuthenticator;
import io.kube4j.apiserver.authn.TokenFileAuthenticator;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.http.ApiRequest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessControlTest {

    final InMemoryRbacSource source = Policies.defaults();
    final AccessControl gate = new AccessControl(
            new RequestAuthenticator(List.of(TokenFileAuthenticator.parse("""
                    jane-token,jane,1
                    root-token,root,2,system:masters
                    """)), true),
            UnionAuthorizer.standard(new NodeAuthorizer(new FakeLookup()), new RbacAuthorizer(source)));

    static ApiRequest request(String method, String path, Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
        return new ApiRequest(method, path, Map.of(), lower, new byte[0]);
    }

    static int code(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (StatusException e) {
            return e.code();
        }
    }

    @Test
    void anonymousReachesOnlyHealthAndVersion() {
        assertThat(gate.check(request("GET", "/healthz", Map.of()), List.of())).isEqualTo(UserInfo.ANONYMOUS);
        assertThat(code(() -> gate.check(request("GET", "/version", Map.of()), List.of()))).isEqualTo(200);
        assertThat(code(() -> gate.check(request("GET", "/api/v1/namespaces/default/pods", Map.of()), List.of())))
                .isEqualTo(401);
        assertThat(code(() -> gate.check(request("GET", "/apis", Map.of()), List.of()))).isEqualTo(401);
    }

    @Test
    void viewerReadsItsNamespaceAndGetsUpstreamsForbiddenElsewhere() {
        source.put(roleBinding("dev", "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));
        Map<String, String> jane = Map.of("Authorization", "Bearer jane-token");
        UserInfo user = gate.check(request("GET", "/api/v1/namespaces/dev/pods", jane), List.of());
        assertThat(user.name()).isEqualTo("jane");
        assertThat(user.groups()).contains("system:authenticated");
        assertThatThrownBy(() -> gate.check(request("GET", "/api/v1/namespaces/default/pods", jane), List.of()))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the "
                        + "namespace \"default\"");
    }

    @Test
    void impersonationThroughTheGate() {
        source.put(roleBinding("dev", "bob-view", "ClusterRole", "view", DefaultPolicy.user("bob")));
        Map<String, String> asBob = Map.of("Authorization", "Bearer root-token", "Impersonate-User", "bob");
        assertThat(gate.check(request("GET", "/api/v1/namespaces/dev/pods", asBob), List.of()).name())
                .isEqualTo("bob");
        assertThat(code(() -> gate.check(request("GET", "/api/v1/namespaces/x/pods", asBob), List.of())))
                .isEqualTo(403);
        Map<String, String> janeAsBob = Map.of("Authorization", "Bearer jane-token", "Impersonate-User", "bob");
        assertThat(code(() -> gate.check(request("GET", "/api/v1/namespaces/dev/pods", janeAsBob), List.of())))
                .isEqualTo(403);
    }

    @Test
    void aWebSocketExecNeedsCreateAsWellAsGet() {
        source.put(Policies.clusterRole("exec-get", Policies.rule(List.of("get"), List.of(""), List.of("pods/exec"))));
        source.put(Policies.clusterRole("exec-all", Policies.rule(List.of("get", "create"), List.of(""),
                List.of("pods/exec", "pods/portforward"))));
        source.put(roleBinding("dev", "jane-exec", "ClusterRole", "exec-get", DefaultPolicy.user("jane")));
        source.put(roleBinding("ops", "jane-exec", "ClusterRole", "exec-all", DefaultPolicy.user("jane")));
        Map<String, String> jane = Map.of("Authorization", "Bearer jane-token");
        assertThatThrownBy(() -> gate.check(request("GET", "/api/v1/namespaces/dev/pods/p/exec", jane), List.of()))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods \"p\" is forbidden: User \"jane\" cannot create resource \"pods/exec\" in API group "
                        + "\"\" in the namespace \"dev\"");
        assertThat(code(() -> gate.check(request("GET", "/api/v1/namespaces/ops/pods/p/exec", jane), List.of())))
                .isEqualTo(200);
        assertThat(code(() -> gate.check(request("GET", "/api/v1/namespaces/ops/pods/p/portforward", jane),
                List.of()))).isEqualTo(200);
    }

    @Test
    void nodeProxyIsTheNodesProxySubresource() {
        source.put(Policies.clusterRole("node-proxy", Policies.rule(List.of("get"), List.of(""),
                List.of("nodes/proxy"))));
        source.put(Policies.clusterRole("node-read", Policies.rule(List.of("get"), List.of(""), List.of("nodes"))));
        Map<String, String> jane = Map.of("Authorization", "Bearer jane-token");
        source.put(roleBinding(null, "jane-node-read", "ClusterRole", "node-read", DefaultPolicy.user("jane")));
        assertThat(code(() -> gate.check(request("GET", "/api/v1/nodes/n1/proxy/healthz", jane), List.of())))
                .isEqualTo(403);
        source.put(roleBinding(null, "jane-node-proxy", "ClusterRole", "node-proxy", DefaultPolicy.user("jane")));
        assertThat(code(() -> gate.check(request("GET", "/api/v1/nodes/n1/proxy/stats/summary", jane), List.of())))
                .isEqualTo(200);
    }

    /** Random headers and paths: every outcome is allow (only for public paths or valid tokens), 400, 401 or 403. */
    @Test
    void malformedInputNeverErrorsOrGetsThroughUnauthenticated() {
        Random random = new Random(42);
        String[] tokens = {"", "Bearer", "Bearer ", "Bearer jane-token ", "bearer root-token", "Basic x", "Bearer \u0000",
                "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.", "Bearer abcdef.0123456789abcdef", "Bearer " + "x".repeat(5000)};
        String[] paths = {"/", "/api", "/api/v1/pods", "/api/v1/namespaces//pods", "/apis/../api/v1/secrets",
                "/healthz/../api/v1/secrets", "/api/v1/namespaces/a/pods/b/c/d/e", "/%2e%2e/api", "/livez", "//healthz"};
        String[] impersonate = {null, "", "bob", "system:serviceaccount:", "system:serviceaccount:a:b"};
        for (int i = 0; i < 2000; i++) {
            Map<String, String> headers = new HashMap<>();
            String token = tokens[random.nextInt(tokens.length)];
            if (!token.isEmpty()) {
                headers.put("Authorization", token);
            }
            String as = impersonate[random.nextInt(impersonate.length)];
            if (as != null) {
                headers.put("Impersonate-User", as);
            }
            if (random.nextInt(4) == 0) {
                headers.put("Impersonate-Group", "g1, g2");
            }
            String path = paths[random.nextInt(paths.length)];
            String method = random.nextBoolean() ? "GET" : "DELETE";
            UserInfo user;
            try {
                user = gate.check(request(method, path, headers), List.of());
            } catch (StatusException e) {
                assertThat(e.code()).as(headers + " " + path).isIn(400, 401, 403);
                continue;
            }
            boolean credentialed = token.startsWith("Bearer jane-token") || token.startsWith("bearer root-token");
            boolean publicPath = method.equals("GET") && List.of("/livez").contains(path) && !credentialed;
            assertThat(credentialed || publicPath).as(headers + " " + method + " " + path + " -> " + user).isTrue();
        }
    }
}
