package io.kube4j.apiserver.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deletecollection is admitted item by item, as upstream's DeleteCollection deletes each object through the single
 * delete's path: admission sees a DELETE of each (the object as oldObject, the request's namespace and no name) and
 * a refusal stops the collection there - what was deleted before stays deleted, the rest stays - and is the answer.
 */
class DeleteCollectionAdmissionApiTest {

    private static final String POLICIES = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies";
    private static final String BINDINGS = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings";
    private static final String CONFIGMAPS = "/api/v1/namespaces/dc/configmaps";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
        server.createNamespace("dc", Map.of("scenario", "dc"));
        created(post(POLICIES, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: keep-protected}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [DELETE], resources: [configmaps]}
                  validations:
                  - expression: "!oldObject.metadata.name.startsWith('protected')"
                    messageExpression: >-
                      'keeps ' + oldObject.metadata.name + ', named "'
                      + (has(request.name) ? request.name : '') + '"'
                """));
        created(post(BINDINGS, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: keep-protected-dc}
                spec:
                  policyName: keep-protected
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector: {matchLabels: {scenario: dc}}
                """));
        configMap("protected-probe", "probe");
        // the plugin reads policies from the watch cache: wait until a dry run (nothing deleted) is refused
        await().atMost(Duration.ofSeconds(30)).until(() -> server.send(admin, "DELETE",
                CONFIGMAPS + "/protected-probe?dryRun=All", null).statusCode() == 422);
    }

    private static HttpResponse<String> post(String path, String yaml) {
        return server.send(admin, "POST", path, yaml, "Content-Type", "application/yaml");
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void configMap(String name, String set) {
        created(server.send(admin, "POST", CONFIGMAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                + "{\"name\":\"" + name + "\",\"labels\":{\"set\":\"" + set + "\"}}}", "Content-Type",
                "application/json"));
    }

    private static int status(String name) {
        return server.get(admin, CONFIGMAPS + "/" + name).statusCode();
    }

    @Test
    void aRefusedItemStopsTheCollectionAndIsTheAnswer() {
        // listed by name: a-first, b-second, protected-third, z-last
        for (String name : new String[]{"a-first", "b-second", "protected-third", "z-last"}) {
            configMap(name, "stop");
        }

        HttpResponse<String> refused = server.send(admin, "DELETE", CONFIGMAPS + "?labelSelector=set%3Dstop", null);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        ObjectNode status = SecureServer.json(refused);
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        // upstream's admission.NewForbidden: a request without a name, about no object, is "Unknown"
        assertThat(status.path("message").asString()).isEqualTo("configmaps \"Unknown\" is forbidden: "
                + "ValidatingAdmissionPolicy 'keep-protected' with binding 'keep-protected-dc' denied request: "
                + "keeps protected-third, named \"\"");
        assertThat(status.path("details").path("name").asString()).isEqualTo("Unknown");
        assertThat(status.path("details").path("causes").get(0).path("message").asString()).isEqualTo(
                "ValidatingAdmissionPolicy 'keep-protected' with binding 'keep-protected-dc' denied request: "
                        + "keeps protected-third, named \"\"");
        assertThat(status("a-first")).isEqualTo(404);
        assertThat(status("b-second")).isEqualTo(404);
        assertThat(status("protected-third")).isEqualTo(200);
        assertThat(status("z-last")).isEqualTo(200);
    }

    @Test
    void aDryRunIsAdmittedItemByItemToo() {
        configMap("c-dry", "dry");
        configMap("protected-dry", "dry");

        assertThat(server.send(admin, "DELETE", CONFIGMAPS + "?labelSelector=set%3Ddry&dryRun=All", null)
                .statusCode()).isEqualTo(422);
        HttpResponse<String> admitted = server.send(admin, "DELETE", CONFIGMAPS + "?labelSelector=set%3Ddry"
                + "&fieldSelector=metadata.name%3Dc-dry&dryRun=All", null);
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(SecureServer.json(admitted).path("items").size()).isEqualTo(1);
        assertThat(status("c-dry")).isEqualTo(200);
        assertThat(status("protected-dry")).isEqualTo(200);
    }
}
