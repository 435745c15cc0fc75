package io.kube4j.apiserver.security;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The security gate of a securely serving API server, over real TLS connections. */
class SecureServingTest {

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;
    static HttpClient anonymous;
    static HttpClient plain;

    @BeforeAll
    static void start() {
        admin = server.admin();
        anonymous = server.anonymous();
        plain = HttpClient.newHttpClient();
        for (String ns : new String[] {"team", "other"}) {
            assertThat(server.send(admin, "POST", "/api/v1/namespaces",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}")
                    .statusCode()).isEqualTo(201);
        }
        assertThat(server.send(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":"
                        + "\"jane-view\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":"
                        + "\"ClusterRole\",\"name\":\"view\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":"
                        + "\"rbac.authorization.k8s.io\",\"name\":\"jane\"}]}").statusCode()).isEqualTo(201);
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void plainHttpIsNotServed() {
        assertThat(server.server().url()).startsWith("https://");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                server.server().url().replace("https://", "http://") + "/version")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(request,
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void uncleanPathsDoNotPassAsHealthChecks() {
        assertThat(server.get(anonymous, "/healthz/%2e%2e/api/v1/secrets").statusCode()).isIn(400, 401);
        assertThat(server.get(anonymous, "/readyz/ping").statusCode()).isNotIn(401, 403);
    }

    @Test
    void anonymousReachesOnlyHealthAndVersion() {
        assertThat(server.get(anonymous, "/healthz").statusCode()).isEqualTo(200);
        assertThat(server.get(anonymous, "/readyz").statusCode()).isEqualTo(200);
        assertThat(server.get(anonymous, "/livez").statusCode()).isEqualTo(200);
        assertThat(server.get(anonymous, "/version").statusCode()).isEqualTo(200);
        for (String path : new String[] {"/api", "/apis", "/api/v1/namespaces", "/api/v1/namespaces/team/pods",
                "/metrics", "/openapi/v2"}) {
            HttpResponse<String> response = server.get(anonymous, path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            ObjectNode status = SecureServer.json(response);
            assertThat(Json.text(status, "kind")).isEqualTo("Status");
            assertThat(Json.text(status, "reason")).isEqualTo("Unauthorized");
        }
    }

    @Test
    void unknownOrMalformedCredentialsAreUnauthorized() {
        assertThat(server.get(anonymous, "/api/v1/namespaces", bearer("no-such-token")).statusCode())
                .isEqualTo(401);
        assertThat(server.get(anonymous, "/healthz", bearer("no-such-token")).statusCode()).isEqualTo(401);
        assertThat(server.get(anonymous, "/api/v1/namespaces", bearer("a.b.c")).statusCode()).isEqualTo(401);
        assertThat(server.get(anonymous, "/api/v1/namespaces", "Authorization", "Basic Zm9vOmJhcg==")
                .statusCode()).isEqualTo(401);
        assertThat(server.get(anonymous, "/api/v1/namespaces", bearer("abcdef.0123456789abcdef")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void adminCertificateDoesEverything() {
        assertThat(server.get(admin, "/api/v1/namespaces").statusCode()).isEqualTo(200);
        assertThat(server.get(admin, "/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin").statusCode())
                .isEqualTo(200);
        assertThat(server.get(admin, "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void viewUserReadsItsNamespaceAndIsForbiddenElsewhereWithUpstreamsMessage() {
        assertThat(server.get(anonymous, "/api/v1/namespaces/team/pods", bearer("jane-token")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> elsewhere = server.get(anonymous, "/api/v1/namespaces/other/pods", bearer("jane-token"));
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        ObjectNode status = SecureServer.json(elsewhere);
        assertThat(Json.text(status, "reason")).isEqualTo("Forbidden");
        assertThat(Json.text(status, "message")).isEqualTo("pods is forbidden: User \"jane\" cannot list resource "
                + "\"pods\" in API group \"\" in the namespace \"other\"");
        HttpResponse<String> write = server.send(anonymous, "POST", "/api/v1/namespaces/team/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", bearer("jane-token"));
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(write), "message")).isEqualTo("configmaps is forbidden: User "
                + "\"jane\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        // discovery is open to every authenticated user
        assertThat(server.get(anonymous, "/api/v1", bearer("bob-token")).statusCode()).isEqualTo(200);
    }

    @Test
    void rbacFollowsStoredBindingsAsTheyChange() {
        assertThat(server.get(anonymous, "/api/v1/namespaces/other/configmaps", bearer("bob-token")).statusCode())
                .isEqualTo(403);
        assertThat(server.send(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/other/roles",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{\"name\":\"cm\"},"
                        + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],\"verbs\":[\"list\"]}]}")
                .statusCode()).isEqualTo(201);
        assertThat(server.send(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/other/rolebindings",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":"
                        + "\"bob\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":"
                        + "\"cm\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\","
                        + "\"name\":\"bob\"}]}").statusCode()).isEqualTo(201);
        // bindings are read from the watch cache, which follows the store within moments, as upstream's informers
        await().untilAsserted(() -> assertThat(server.get(anonymous, "/api/v1/namespaces/other/configmaps",
                bearer("bob-token")).statusCode()).isEqualTo(200));
        assertThat(server.send(admin, "DELETE",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/other/rolebindings/bob", null).statusCode())
                .isEqualTo(200);
        await().untilAsserted(() -> assertThat(server.get(anonymous, "/api/v1/namespaces/other/configmaps",
                bearer("bob-token")).statusCode()).isEqualTo(403));
    }

    @Test
    void aggregatedRolesFollowNewLabelledRoles() {
        assertThat(server.send(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":"
                        + "\"widgets-view\",\"labels\":{\"rbac.authorization.k8s.io/aggregate-to-view\":\"true\"}},"
                        + "\"rules\":[{\"apiGroups\":[\"example.com\"],\"resources\":[\"widgets\"],\"verbs\":"
                        + "[\"get\"]}]}").statusCode()).isEqualTo(201);
        await().untilAsserted(() -> assertThat(server.get(admin,
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/view").body()).contains("widgets"));
    }

    @Test
    void impersonationNeedsTheImpersonateVerb() {
        HttpResponse<String> asJane = server.get(admin, "/api/v1/namespaces/other/pods", "Impersonate-User", "jane");
        assertThat(asJane.statusCode()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(asJane), "message")).contains("User \"jane\" cannot list");
        assertThat(server.get(admin, "/api/v1/namespaces/team/pods", "Impersonate-User", "jane").statusCode())
                .isEqualTo(200);
        HttpResponse<String> janeAsAdmin = server.get(anonymous, "/api/v1/namespaces/other/pods",
                "Authorization", "Bearer jane-token", "Impersonate-User", "system:admin",
                "Impersonate-Group", "system:masters");
        assertThat(janeAsAdmin.statusCode()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(janeAsAdmin), "message")).isEqualTo("users \"system:admin\" is "
                + "forbidden: User \"jane\" cannot impersonate resource \"users\" in API group \"\" at the cluster "
                + "scope");
    }

    @Test
    void quotaRefusalNamesTheQuotaAndStoresNothing() {
        String quotas = "/api/v1/namespaces/team/resourcequotas";
        String configMaps = "/api/v1/namespaces/team/configmaps";
        assertThat(server.send(admin, "POST", quotas,
                "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"cms\"},"
                        + "\"spec\":{\"hard\":{\"count/configmaps\":\"1\"}}}").statusCode()).isEqualTo(201);
        // as upstream, a quota limits nothing until its controller has copied the limits to status.hard (this server
        // runs none: the test writes the status the controller would)
        assertThat(server.send(admin, "POST", configMaps, configMap("early")).statusCode()).isEqualTo(201);

        // limits copied but not counted yet: refused until the usage is known, naming what is not counted
        writeQuotaStatus("{\"hard\":{\"count/configmaps\":\"1\"}}");
        // admission reads the quotas from the watch cache, as upstream's plugin reads its lister: a client waits
        // until the quota's status is there (upstream's e2e waits "for resource quota status to be calculated")
        awaitCached(quotas, "\"status\":{\"hard\":{\"count/configmaps\":\"1\"}");
        HttpResponse<String> uncounted = server.send(admin, "POST", configMaps, configMap("first"));
        assertThat(uncounted.statusCode()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(uncounted), "message")).isEqualTo("configmaps \"first\" is forbidden: "
                + "status unknown for quota: cms, resources: count/configmaps");

        writeQuotaStatus("{\"hard\":{\"count/configmaps\":\"1\"},\"used\":{\"count/configmaps\":\"1\"}}");
        awaitCached(quotas, "\"used\":{\"count/configmaps\":\"1\"}");
        HttpResponse<String> second = server.send(admin, "POST", configMaps, configMap("second"));
        assertThat(second.statusCode()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(second), "message")).isEqualTo("configmaps \"second\" is forbidden: "
                + "exceeded quota: cms, requested: count/configmaps=1, used: count/configmaps=1, "
                + "limited: count/configmaps=1");
        assertThat(server.get(admin, configMaps + "/first").statusCode()).isEqualTo(404);
        assertThat(server.get(admin, configMaps + "/second").statusCode()).isEqualTo(404);
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    /** What the quota controller writes: the quota's whole status, through the status subresource. */
    private static void writeQuotaStatus(String status) {
        assertThat(server.send(admin, "PATCH", "/api/v1/namespaces/team/resourcequotas/cms/status",
                "{\"status\":" + status + "}", "Content-Type", "application/merge-patch+json").statusCode())
                .isEqualTo(200);
    }

    /** Waits until a list served from the watch cache (resourceVersion=0) holds {@code text}. */
    private static void awaitCached(String path, String text) {
        await().untilAsserted(() -> assertThat(server.get(admin, path + "?resourceVersion=0").body()).contains(text));
    }

    @Test
    void reviewEndpointsAnswerForTheCaller() {
        HttpResponse<String> whoami = server.send(anonymous, "POST",
                "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}", bearer("jane-token"));
        assertThat(whoami.statusCode()).isEqualTo(201);
        ObjectNode user = (ObjectNode) SecureServer.json(whoami).path("status").path("userInfo");
        assertThat(Json.text(user, "username")).isEqualTo("jane");
        assertThat(user.path("groups").toString()).contains("developers").contains("system:authenticated");

        String review = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                + "\"spec\":{\"resourceAttributes\":{\"verb\":\"list\",\"resource\":\"pods\",\"namespace\":\"%s\"}}}";
        assertThat(SecureServer.json(server.send(anonymous, "POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review.formatted("team"),
                bearer("jane-token"))).path("status").path("allowed").asBoolean()).isTrue();
        assertThat(SecureServer.json(server.send(anonymous, "POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review.formatted("other"),
                bearer("jane-token"))).path("status").path("allowed").asBoolean()).isFalse();

        String rules = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                + "\"spec\":{\"namespace\":\"team\"}}";
        assertThat(server.send(anonymous, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", rules,
                bearer("jane-token")).body()).contains("pods");

        String sar = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":"
                + "{\"user\":\"jane\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\","
                + "\"namespace\":\"team\"}}}";
        assertThat(server.send(anonymous, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar,
                bearer("jane-token")).statusCode()).isEqualTo(403);
        assertThat(SecureServer.json(server.send(admin, "POST",
                "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar)).path("status").path("allowed")
                .asBoolean()).isTrue();

        String tokenReview = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"spec\":{\"token\":\"bob-token\"}}";
        ObjectNode reviewed = SecureServer.json(server.send(admin, "POST",
                "/apis/authentication.k8s.io/v1/tokenreviews", tokenReview));
        assertThat(reviewed.path("status").path("authenticated").asBoolean()).isTrue();
        assertThat(reviewed.path("status").path("user").path("username").asString("")).isEqualTo("bob");
    }

    @Test
    void reviewResourcesAreInDiscovery() {
        assertThat(server.get(admin, "/apis/authorization.k8s.io/v1").body())
                .contains("selfsubjectaccessreviews", "subjectaccessreviews", "localsubjectaccessreviews",
                        "selfsubjectrulesreviews");
        assertThat(server.get(admin, "/apis/authentication.k8s.io/v1").body())
                .contains("tokenreviews", "selfsubjectreviews");
    }

    @Test
    void componentKubeconfigsAreWritten() {
        for (String name : new String[] {"admin", "kube-scheduler", "kube-controller-manager", "kube-proxy"}) {
            assertThat(server.dir().resolve(name + ".kubeconfig")).exists();
        }
        X509Certificate ca = server.server().pki().caCertificate();
        assertThat(ca.getSubjectX500Principal().getName()).contains("kube4j-ca");
    }

    @Test
    void auditLogHasOneMetadataEventPerRequest() throws Exception {
        server.get(anonymous, "/api/v1/namespaces/other/secrets?limit=5", bearer("jane-token"));
        server.get(anonymous, "/api/v1/namespaces/other/configmaps", bearer("bad-token"));
        Path log = server.dir().resolve("audit").resolve("audit.log");
        await().untilAsserted(() -> {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(log);
            ObjectNode forbidden = lines.stream()
                    .map(line -> (ObjectNode) Json.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .filter(e -> "/api/v1/namespaces/other/secrets?limit=5".equals(Json.text(e, "requestURI")))
                    .findFirst().orElseThrow();
            assertThat(Json.text(forbidden, "apiVersion")).isEqualTo("audit.k8s.io/v1");
            assertThat(Json.text(forbidden, "kind")).isEqualTo("Event");
            assertThat(Json.text(forbidden, "level")).isEqualTo("Metadata");
            assertThat(Json.text(forbidden, "verb")).isEqualTo("list");
            assertThat(Json.text(forbidden, "user", "username")).isEqualTo("jane");
            assertThat(Json.text(forbidden, "objectRef", "resource")).isEqualTo("secrets");
            assertThat(Json.text(forbidden, "objectRef", "namespace")).isEqualTo("other");
            assertThat(forbidden.path("responseStatus").path("code").asInt()).isEqualTo(403);
            assertThat(forbidden.path("sourceIPs").toString()).contains("127.0.0.1");
            assertThat(lines).anyMatch(line -> line.contains("/namespaces/other/configmaps")
                    && line.contains("\"code\":401"));
        });
    }

    @Test
    void tokenRequestIssuesPodBoundTokensThatDieWithThePod() {
        assertThat(server.send(admin, "POST", "/api/v1/namespaces/team/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"robot\"}}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> pod = server.send(admin, "POST", "/api/v1/namespaces/team/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"worker\"},\"spec\":"
                        + "{\"serviceAccountName\":\"robot\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        assertThat(pod.statusCode()).as(pod.body()).isEqualTo(201);
        ObjectNode created = SecureServer.json(pod);
        // the ServiceAccount admission plugin mounted the projected token volume
        assertThat(created.path("spec").path("volumes").toString()).contains("kube-api-access-", "serviceAccountToken");
        String uid = Json.text(created, "metadata", "uid");

        String request = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
                + "{\"expirationSeconds\":3600,\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + "\"name\":\"worker\",\"uid\":\"" + uid + "\"}%s}}";
        HttpResponse<String> issued = server.send(admin, "POST",
                "/api/v1/namespaces/team/serviceaccounts/robot/token", request.formatted(""));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = Json.text(SecureServer.json(issued), "status", "token");
        assertThat(Json.text(SecureServer.json(issued), "status", "expirationTimestamp")).isNotEmpty();

        HttpResponse<String> whoami = server.send(anonymous, "POST",
                "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}", bearer(token));
        assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(201);
        assertThat(whoami.body()).contains("system:serviceaccount:team:robot", "system:serviceaccounts:team",
                "authentication.kubernetes.io/pod-name", "worker");

        // a token for another audience is not for the API server; a tampered one is nobody's
        String other = Json.text(SecureServer.json(server.send(admin, "POST",
                "/api/v1/namespaces/team/serviceaccounts/robot/token",
                request.formatted(",\"audiences\":[\"vault\"]"))), "status", "token");
        assertThat(server.get(anonymous, "/api/v1/namespaces/team/pods", bearer(other)).statusCode()).isEqualTo(401);
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(server.get(anonymous, "/api/v1/namespaces/team/pods", bearer(tampered)).statusCode())
                .isEqualTo(401);

        assertThat(server.send(admin, "DELETE", "/api/v1/namespaces/team/pods/worker?gracePeriodSeconds=0", null)
                .statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(server.get(admin, "/api/v1/namespaces/team/pods/worker")
                .statusCode()).isEqualTo(404));
        assertThat(server.get(anonymous, "/api/v1/namespaces/team/pods", bearer(token)).statusCode()).isEqualTo(401);
    }

    @Test
    void kubeletCertificatesReachOnlyTheirOwnNodesObjects() {
        for (String node : new String[] {"node-a", "node-b"}) {
            assertThat(server.send(admin, "POST", "/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
                    + "\"metadata\":{\"name\":\"" + node + "\"}}").statusCode()).isEqualTo(201);
        }
        assertThat(server.send(admin, "POST", "/api/v1/namespaces/other/secrets", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"},\"stringData\":{\"p\":\"x\"}}")
                .statusCode()).isEqualTo(201);
        assertThat(server.send(admin, "POST", "/api/v1/namespaces/other/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}")
                .statusCode()).isIn(201, 409);
        HttpResponse<String> pod = server.send(admin, "POST", "/api/v1/namespaces/other/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"db-user\"},\"spec\":"
                        + "{\"nodeName\":\"node-a\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
                        + "\"env\":[{\"name\":\"P\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"db\","
                        + "\"key\":\"p\"}}}]}]}}");
        assertThat(pod.statusCode()).as(pod.body()).isEqualTo(201);
        HttpClient nodeA = server.client(server.server().pki().kubelet("node-a"));
        HttpClient nodeB = server.client(server.server().pki().kubelet("node-b"));
        await().untilAsserted(() -> assertThat(server.get(nodeA, "/api/v1/namespaces/other/secrets/db").statusCode())
                .isEqualTo(200));
        HttpResponse<String> refused = server.get(nodeB, "/api/v1/namespaces/other/secrets/db");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(refused), "message")).contains("User \"system:node:node-b\" cannot "
                + "get resource \"secrets\"", "no relationship found between node 'node-b' and this object");
        assertThat(server.get(nodeB, "/api/v1/namespaces/other/secrets").statusCode()).isEqualTo(403);
        String label = "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}";
        assertThat(server.send(nodeA, "PATCH", "/api/v1/nodes/node-b", label, "Content-Type",
                "application/merge-patch+json").statusCode()).isEqualTo(403);
        HttpResponse<String> own = server.send(nodeB, "PATCH", "/api/v1/nodes/node-b", label, "Content-Type",
                "application/merge-patch+json");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    }

    @Test
    void aNodeEvictsOnlyItsOwnPods() {
        assertThat(server.send(admin, "POST", "/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
                + "\"metadata\":{\"name\":\"evict-a\"}}").statusCode()).isIn(201, 409);
        assertThat(server.send(admin, "POST", "/api/v1/namespaces/other/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}")
                .statusCode()).isIn(201, 409);
        HttpResponse<String> pod = server.send(admin, "POST", "/api/v1/namespaces/other/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"on-a\"},\"spec\":"
                        + "{\"nodeName\":\"evict-a\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        assertThat(pod.statusCode()).as(pod.body()).isEqualTo(201);
        String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"on-a\","
                + "\"namespace\":\"other\"}}";
        String path = "/api/v1/namespaces/other/pods/on-a/eviction";
        HttpClient nodeB = server.client(server.server().pki().kubelet("evict-b"));
        HttpResponse<String> refused = server.send(nodeB, "POST", path, eviction);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(Json.text(SecureServer.json(refused), "message"))
                .contains("node \"evict-b\" can only evict pods with spec.nodeName set to itself");
        assertThat(server.get(admin, "/api/v1/namespaces/other/pods/on-a").statusCode()).isEqualTo(200);
        HttpResponse<String> own = server.send(server.client(server.server().pki().kubelet("evict-a")), "POST", path,
                eviction);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    }
}
