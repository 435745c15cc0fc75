package io.kube4j.apiserver.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests through the real TLS request path, for a bounded number of requests with a fixed seed:
 * never a 500, and nothing but the public health and version paths answers without valid credentials.
 */
class RequestPathFuzzTest {

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();

    @Test
    void malformedRequestsNeverErrorAndNeverGetThroughUnauthenticated() {
        Random random = new Random(7);
        HttpClient anonymous = server.anonymous();
        String[] paths = {"/api/v1/namespaces/default/configmaps", "/api/v1/namespaces/default/secrets/x",
                "/apis/rbac.authorization.k8s.io/v1/clusterroles", "/apis/authorization.k8s.io/v1/selfsubjectreviews",
                "/apis/authentication.k8s.io/v1/tokenreviews", "/api/v1/namespaces/default/serviceaccounts/d/token",
                "/healthz", "/version", "/metrics", "/openapi/v2", "/api", "/apis/apps/v1/deployments",
                "/api/v1/nodes/x/status", "/healthz/%2e%2e/api/v1/secrets", "/api/v1/namespaces/%00/pods"};
        String[] authorizations = {null, "Bearer", "Bearer  ", "Bearer jane-token x", "Basic YTpi", "Bearer a.b.c",
                "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.",
                "Bearer abcdef.0123456789abcdef", "Bearer " + "z".repeat(4000), "Negotiate x", "Bearer \t"};
        String[] bodies = {null, "", "{", "[]", "null", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}",
                "{\"spec\":{\"token\":\"jane-token\"}}", "\u0000\u0001", "k8s\u0000garbage"};
        String[] methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
        Set<String> publicPaths = Set.of("/healthz", "/version");
        for (int i = 0; i < 400; i++) {
            String path = paths[random.nextInt(paths.length)];
            String method = methods[random.nextInt(methods.length)];
            String body = bodies[random.nextInt(bodies.length)];
            List<String> headers = new ArrayList<>();
            String authorization = authorizations[random.nextInt(authorizations.length)];
            if (authorization != null) {
                headers.add("Authorization");
                headers.add(authorization);
            }
            if (random.nextInt(3) == 0) {
                headers.add("Impersonate-User");
                headers.add(random.nextBoolean() ? "system:admin" : "");
            }
            if (random.nextInt(4) == 0) {
                headers.add("Content-Type");
                headers.add(random.nextBoolean() ? "application/vnd.kubernetes.protobuf" : "text/x-nonsense");
            }
            HttpResponse<String> response;
            try {
                response = server.send(anonymous, method, path, body == null && !method.equals("GET") ? "" : body,
                        headers.toArray(String[]::new));
            } catch (IllegalArgumentException refusedByTheClient) {
                continue;
            }
            String what = method + " " + path + " " + headers + " body=" + body + " -> " + response.statusCode()
                    + " " + response.body();
            assertThat(response.statusCode()).as(what).isLessThan(500);
            if (response.statusCode() < 300) {
                assertThat(publicPaths).as(what).contains(path);
                assertThat(authorization).as(what).isNull();
            }
        }
    }
}
