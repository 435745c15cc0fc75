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
 * What ValidatingAdmissionPolicies leave in the audit log, through the secure API server with {@code
 * --audit-log-path}: an Audit binding's failure as upstream's {@code validation_failure} annotation and the policy's
 * auditAnnotations as {@code <policy>/<key>}, in the request's audit event; and the {@code request.options} a policy
 * reads (the write's CreateOptions or DeleteOptions).
 */
class ValidatingAdmissionPolicyAuditApiTest {

    private static final String API = "/apis/admissionregistration.k8s.io/v1/";
    private static final String CONFIGMAPS = "/api/v1/namespaces/%s/configmaps";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
        server.createNamespace("audited", Map.of("scenario", "audit"));
        server.createNamespace("options", Map.of("scenario", "options"));
        created(post(API + "validatingadmissionpolicies", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: no-secrets}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: "!has(object.data) || !('password' in object.data)"
                    message: passwords belong in Secrets
                  auditAnnotations:
                  - key: owner
                    valueExpression: "'owner' in object.metadata.labels ? object.metadata.labels.owner : null"
                """));
        created(post(API + "validatingadmissionpolicybindings", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: no-secrets-audit}
                spec:
                  policyName: no-secrets
                  validationActions: [Audit]
                  matchResources:
                    namespaceSelector: {matchLabels: {scenario: audit}}
                """));
        created(post(API + "validatingadmissionpolicies", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: options}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [''], apiVersions: [v1], operations: [CREATE, DELETE], resources: [configmaps]}
                  validations:
                  - expression: >-
                      request.operation != 'CREATE' || request.options.kind == 'CreateOptions'
                      && request.options.apiVersion == 'meta.k8s.io/v1' && request.options.fieldValidation == 'Strict'
                      && request.options.fieldManager == 'tester'
                    messageExpression: "'create options: ' + request.options.kind + ' ' + request.options.fieldManager"
                  - expression: >-
                      request.operation != 'DELETE' || request.options.kind == 'DeleteOptions'
                      && has(request.options.propagationPolicy) && request.options.propagationPolicy == 'Orphan'
                      && request.options.gracePeriodSeconds == 7
                    message: delete options
                """));
        created(post(API + "validatingadmissionpolicybindings", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: options}
                spec:
                  policyName: options
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector: {matchLabels: {scenario: options}}
                """));
        // the admission plugin reads bindings from the watch cache: wait until a dry run (nothing stored) sees them
        await().atMost(Duration.ofSeconds(30)).until(() -> configMap("options", "probe", "", "?dryRun=All")
                .statusCode() == 422);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            configMap("audited", "probe", "\"password\":\"x\"", "?dryRun=All");
            return events("?dryRun=All").stream().anyMatch(e -> e.path("annotations")
                    .has("validation.policy.admission.k8s.io/validation_failure"));
        });
    }

    private static HttpResponse<String> post(String path, String yaml) {
        return server.send(admin, "POST", path, yaml, "Content-Type", "application/yaml");
    }

    private static HttpResponse<String> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static HttpResponse<String> configMap(String namespace, String name, String data, String query) {
        return server.send(admin, "POST", CONFIGMAPS.formatted(namespace) + query, """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{"owner":"team-a"}},
                "data":{%s}}""".formatted(name, data));
    }

    /** The ResponseComplete events of the requests whose URI ends with {@code uriEnd}, in the order written. */
    private static List<ObjectNode> events(String uriEnd) {
        Path log = server.dir().resolve("audit").resolve("audit.log");
        try {
            return Files.readAllLines(log).stream()
                    .map(line -> (ObjectNode) Json.parse(line.getBytes(StandardCharsets.UTF_8)))
                    .filter(e -> String.valueOf(Json.text(e, "requestURI")).endsWith(uriEnd)
                            && "ResponseComplete".equals(Json.text(e, "stage")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anAuditBindingsFailureAndThePolicysAuditAnnotationsAreInTheAuditEvent() {
        created(configMap("audited", "leaky", "\"password\":\"hunter2\"", "?fieldManager=leaky"));
        created(configMap("audited", "clean", "\"colour\":\"blue\"", "?fieldManager=clean"));

        await().atMost(Duration.ofSeconds(10)).until(() -> events("?fieldManager=clean").size() == 1);
        assertThat(events("?fieldManager=leaky")).singleElement().satisfies(event -> {
            assertThat(event.path("responseStatus").path("code").asInt()).isEqualTo(201);
            // keys in order, as Go encodes the event's map; the authorization filter's decision comes with every event
            assertThat(Json.stringMap(event.path("annotations"))).containsExactly(
                    Map.entry("authorization.k8s.io/decision", "allow"), Map.entry("authorization.k8s.io/reason", ""),
                    Map.entry("no-secrets/owner", "team-a"),
                    Map.entry("validation.policy.admission.k8s.io/validation_failure", "[{\"message\":\"passwords "
                            + "belong in Secrets\",\"policy\":\"no-secrets\",\"binding\":\"no-secrets-audit\","
                            + "\"expressionIndex\":0,\"validationActions\":[\"Audit\"]}]"));
        });
        assertThat(Json.stringMap(events("?fieldManager=clean").get(0).path("annotations")))
                .containsExactly(Map.entry("authorization.k8s.io/decision", "allow"),
                        Map.entry("authorization.k8s.io/reason", ""), Map.entry("no-secrets/owner", "team-a"));
    }

    @Test
    void aPolicyReadsTheWritesOptions() {
        HttpResponse<String> refused = configMap("options", "web", "", "?fieldValidation=Strict&fieldManager=other");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(SecureServer.json(refused).path("message").asString())
                .endsWith("denied request: create options: CreateOptions other");
        created(configMap("options", "web", "", "?fieldValidation=Strict&fieldManager=tester"));

        String path = CONFIGMAPS.formatted("options") + "/web";
        HttpResponse<String> refusedDelete = server.send(admin, "DELETE", path + "?gracePeriodSeconds=7", null);
        assertThat(refusedDelete.statusCode()).isEqualTo(422);
        assertThat(refusedDelete.body()).contains("denied request: delete options");
        // a DeleteOptions body is all the options (upstream reads the query only without one)
        HttpResponse<String> deleted = server.send(admin, "DELETE", path, "{\"kind\":\"DeleteOptions\","
                + "\"apiVersion\":\"v1\",\"propagationPolicy\":\"Orphan\",\"gracePeriodSeconds\":7}");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    }
}
