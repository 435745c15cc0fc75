package io.kube4j.apiserver.security;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit annotations upstream's filters and admission add to every audited request, read from the audit log of a
 * secure server: the authorization filter's {@code authorization.k8s.io/decision} and {@code /reason} (RBAC naming
 * the binding that allowed), and PodSecurity's {@code pod-security.kubernetes.io/enforce-policy} and
 * {@code /audit-violations} - on refused requests too.
 */
class AuditAnnotationsApiTest {

    private static final String DECISION = "authorization.k8s.io/decision";
    private static final String REASON = "authorization.k8s.io/reason";
    private static final String ENFORCE_POLICY = "pod-security.kubernetes.io/enforce-policy";
    private static final String AUDIT_VIOLATIONS = "pod-security.kubernetes.io/audit-violations";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;
    static HttpClient anonymous;

    @BeforeAll
    static void start() {
        admin = server.admin();
        anonymous = server.anonymous();
        server.createNamespace("viewed", Map.of());
        server.createNamespace("audited", Map.of("pod-security.kubernetes.io/audit", "restricted"));
        server.createNamespace("enforced", Map.of("pod-security.kubernetes.io/enforce", "baseline"));
        HttpResponse<String> binding = server.send(admin, "POST",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/viewed/rolebindings", """
                        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
                        "metadata":{"name":"jane-views"},
                        "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                        "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"jane"}]}""");
        assertThat(binding.statusCode()).as(binding.body()).isEqualTo(201);
    }

    private static String[] jane() {
        return new String[]{"Authorization", "Bearer jane-token"};
    }

    /** The annotations of the one ResponseComplete event of the request whose URI ends with {@code uriEnd}. */
    private static Map<String, String> annotations(String uriEnd) {
        Path log = server.dir().resolve("audit").resolve("audit.log");
        List<ObjectNode> events = await().atMost(Duration.ofSeconds(10)).until(() -> read(log).stream()
                .filter(e -> String.valueOf(Json.text(e, "requestURI")).endsWith(uriEnd)
                        && "ResponseComplete".equals(Json.text(e, "stage"))).toList(), found -> !found.isEmpty());
        assertThat(events).hasSize(1);
        return Json.stringMap(events.get(0).path("annotations"));
    }

    private static List<ObjectNode> read(Path log) {
        try {
            return Files.readAllLines(log).stream()
                    .map(line -> (ObjectNode) Json.parse(line.getBytes(StandardCharsets.UTF_8))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> pod(String namespace, String name, boolean privileged) {
        return server.send(admin, "POST", "/api/v1/namespaces/" + namespace + "/pods?fieldManager=" + name,
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":"
                        + "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"" + (privileged
                        ? ",\"securityContext\":{\"privileged\":true}" : "") + "}]}}");
    }

    @Test
    void everyAuthorizedRequestCarriesTheDecisionAndItsReason() {
        assertThat(server.get(admin, "/api/v1/namespaces/viewed/configmaps?limit=1").statusCode()).isEqualTo(200);
        // system:masters is allowed before RBAC, by an authorizer that gives no reason
        assertThat(annotations("/namespaces/viewed/configmaps?limit=1"))
                .containsExactly(Map.entry(DECISION, "allow"), Map.entry(REASON, ""));

        assertThat(server.get(anonymous, "/api/v1/namespaces/viewed/configmaps?limit=2", jane()).statusCode())
                .isEqualTo(200);
        assertThat(annotations("/namespaces/viewed/configmaps?limit=2")).containsExactly(
                Map.entry(DECISION, "allow"), Map.entry(REASON, "RBAC: allowed by RoleBinding \"jane-views/viewed\" "
                        + "of ClusterRole \"view\" to User \"jane\""));

        assertThat(server.get(anonymous, "/api/v1/namespaces/viewed/secrets?limit=3", jane()).statusCode())
                .isEqualTo(403);
        assertThat(annotations("/namespaces/viewed/secrets?limit=3"))
                .containsExactly(Map.entry(DECISION, "forbid"), Map.entry(REASON, ""));
    }

    @Test
    void podSecurityNotesThePolicyItEnforcedAndWhatTheAuditLevelWouldRefuse() {
        assertThat(pod("viewed", "plain", false).statusCode()).isEqualTo(201);
        assertThat(annotations("?fieldManager=plain")).containsEntry(ENFORCE_POLICY, "privileged:latest")
                .doesNotContainKey(AUDIT_VIOLATIONS);

        HttpResponse<String> audited = pod("audited", "loose", false);
        assertThat(audited.statusCode()).as(audited.body()).isEqualTo(201);
        Map<String, String> noted = annotations("?fieldManager=loose");
        assertThat(noted).containsEntry(ENFORCE_POLICY, "privileged:latest").containsEntry(DECISION, "allow");
        assertThat(noted.get(AUDIT_VIOLATIONS)).startsWith("would violate PodSecurity \"restricted:latest\": "
                + "allowPrivilegeEscalation != false (container \"c\" must set "
                + "securityContext.allowPrivilegeEscalation=false)");

        HttpResponse<String> refused = pod("enforced", "root", true);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(annotations("?fieldManager=root")).containsEntry(ENFORCE_POLICY, "baseline:latest")
                .doesNotContainKey(AUDIT_VIOLATIONS);
    }
}
