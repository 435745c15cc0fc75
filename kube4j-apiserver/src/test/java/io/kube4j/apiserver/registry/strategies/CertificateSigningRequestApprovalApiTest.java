package io.kube4j.apiserver.registry.strategies;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * certificatesigningrequests/approval over HTTP as upstream serves it: discovery lists get, patch and update, and a
 * server-side apply through it (kubectl certificate approve uses an update; controllers may apply) is recorded as the
 * approval subresource's and owns the conditions only.
 */
class CertificateSigningRequestApprovalApiTest {

    private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode ok(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void discoveryListsPatchOnApproval() throws Exception {
        JsonNode list = ok(server.send("GET", "/apis/certificates.k8s.io/v1", null, null), 200);
        for (JsonNode resource : list.path("resources")) {
            if (resource.path("name").asString().equals("certificatesigningrequests/approval")) {
                assertThat(resource.path("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
                return;
            }
        }
        throw new AssertionError("no certificatesigningrequests/approval in " + list);
    }

    @Test
    void anApplyToApprovalIsServedAndOwnsTheConditionsOnly() throws Exception {
        String request = Base64.getEncoder().encodeToString(
                CertificateSigningRequestStrategyTest.pemRequest("node").getBytes(StandardCharsets.UTF_8));
        ok(server.send("POST", CSRS, "application/json", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"n1"},
                 "spec":{"request":"%s","signerName":"example.com/signer","usages":["client auth"]}}
                """.formatted(request)), 201);

        JsonNode applied = ok(server.send("PATCH", CSRS + "/n1/approval?fieldManager=approver",
                "application/apply-patch+yaml", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"n1"},
                 "spec":{"signerName":"other.example.com/signer"},
                 "status":{"certificate":"Zm9v","conditions":[{"type":"Approved","status":"True","reason":"ByTest",
                   "message":"approved by the test","lastUpdateTime":"2026-01-01T00:00:00Z"}]}}
                """), 200);

        assertThat(applied.path("status").path("conditions").findValuesAsString("type")).containsExactly("Approved");
        assertThat(applied.path("status").has("certificate")).isFalse();
        assertThat(applied.path("spec").path("signerName").asString()).isEqualTo("example.com/signer");
        JsonNode entry = null;
        for (JsonNode e : applied.path("metadata").path("managedFields")) {
            if (e.path("manager").asString().equals("approver")) {
                entry = e;
            }
        }
        assertThat(entry).as(applied.toString()).isNotNull();
        assertThat(entry.path("operation").asString()).isEqualTo("Apply");
        assertThat(entry.path("subresource").asString()).isEqualTo("approval");
        JsonNode fields = entry.path("fieldsV1");
        assertThat(fields.path("f:status").has("f:conditions")).as(fields.toString()).isTrue();
        assertThat(fields.path("f:status").has("f:certificate")).as(fields.toString()).isFalse();
        assertThat(fields.has("f:spec")).as(fields.toString()).isFalse();
    }

    /** Creates the request {@code name} and returns it as stored. */
    private static JsonNode create(String name) throws Exception {
        String request = Base64.getEncoder().encodeToString(
                CertificateSigningRequestStrategyTest.pemRequest(name).getBytes(StandardCharsets.UTF_8));
        return ok(server.send("POST", CSRS, "application/json", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"%s"},
                 "spec":{"request":"%s","signerName":"example.com/signer","usages":["client auth"]}}
                """.formatted(name, request)), 201);
    }

    /** {@code csr} with its conditions replaced by {@code conditions} (a JSON array), as a PUT body. */
    private static String withConditions(JsonNode csr, String conditions) {
        tools.jackson.databind.node.ObjectNode body = (tools.jackson.databind.node.ObjectNode) csr.deepCopy();
        body.withObject("/status").set("conditions", Json.parse(conditions.getBytes(StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static final String APPROVED = """
            {"type":"Approved","status":"True","reason":"ByTest","message":"m"}""";

    /** The one cause of a 422 answer: its reason, field and message. */
    private static String cause(HttpResponse<String> response) {
        JsonNode status = ok(response, 422);
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        JsonNode causes = status.path("details").path("causes");
        assertThat(causes.size()).as(response.body()).isEqualTo(1);
        return causes.get(0).path("reason").asString() + " " + causes.get(0).path("field").asString() + " "
                + causes.get(0).path("message").asString();
    }

    @Test
    void aStatusWriteCannotAddOrRemoveAnApprovalButItsChangesAreKeptOut() throws Exception {
        JsonNode pending = create("s1");
        String path = CSRS + "/s1/status";

        assertThat(cause(server.send("PUT", path, "application/json", withConditions(pending, "[" + APPROVED + "]"))))
                .isEqualTo("FieldValueForbidden status.conditions "
                        + "Forbidden: updates may not add a condition of type \"Approved\"");
        assertThat(cause(server.send("PATCH", path, "application/merge-patch+json", """
                {"status":{"conditions":[{"type":"Denied","status":"True"}]}}""")))
                .isEqualTo("FieldValueForbidden status.conditions "
                        + "Forbidden: updates may not add a condition of type \"Denied\"");
        assertThat(ok(server.send("GET", CSRS + "/s1", null, null), 200).path("status").path("conditions").isEmpty())
                .isTrue();

        JsonNode approved = ok(server.send("PUT", CSRS + "/s1/approval", "application/json",
                withConditions(pending, "[" + APPROVED + "]")), 200);
        assertThat(cause(server.send("PUT", path, "application/json", withConditions(approved, "[]"))))
                .isEqualTo("FieldValueForbidden status.conditions "
                        + "Forbidden: updates may not remove a condition of type \"Approved\"");
        // as many Approved conditions as stored: upstream keeps the stored ones and takes the rest of the write
        JsonNode issued = ok(server.send("PUT", path, "application/json", withConditions(approved, """
                [{"type":"Approved","status":"True","reason":"Changed","message":"changed"},
                 {"type":"Ready","status":"True","reason":"Issued"}]""")), 200);
        assertThat(issued.path("status").path("conditions").get(0))
                .isEqualTo(approved.path("status").path("conditions").get(0));
        assertThat(issued.path("status").path("conditions").get(1).path("type").asString()).isEqualTo("Ready");
    }

    @Test
    void aFailedConditionStaysAndApprovalMayNotBeUndone() throws Exception {
        JsonNode pending = create("s2");
        JsonNode approved = ok(server.send("PUT", CSRS + "/s2/approval", "application/json",
                withConditions(pending, "[" + APPROVED + "]")), 200);
        JsonNode failed = ok(server.send("PUT", CSRS + "/s2/status", "application/json", withConditions(approved, "["
                + APPROVED + ",{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"SignerError\"}]")), 200);

        assertThat(cause(server.send("PUT", CSRS + "/s2/status", "application/json",
                withConditions(failed, "[" + APPROVED + "]"))))
                .isEqualTo("FieldValueForbidden status.conditions "
                        + "Forbidden: updates may not remove a condition of type \"Failed\"");
        assertThat(cause(server.send("PUT", CSRS + "/s2/approval", "application/json", withConditions(failed, """
                [{"type":"Failed","status":"True","reason":"SignerError"}]"""))))
                .isEqualTo("FieldValueForbidden status.conditions "
                        + "Forbidden: updates may not remove a condition of type \"Approved\"");
        assertThat(cause(server.send("PUT", CSRS + "/s2/approval", "application/json", withConditions(failed, "["
                + APPROVED + ",{\"type\":\"Failed\",\"status\":\"True\"},{\"type\":\"Denied\",\"status\":\"True\"}]"))))
                .isEqualTo("FieldValueInvalid status.conditions[2].type Invalid value: \"Denied\": "
                        + "Approved and Denied conditions are mutually exclusive");
    }

    @Test
    void theMainResourceKeepsTheStatusWithoutRefusingIt() throws Exception {
        JsonNode pending = create("s3");
        JsonNode updated = ok(server.send("PUT", CSRS + "/s3", "application/json",
                withConditions(pending, "[" + APPROVED + "]")), 200);
        assertThat(updated.path("status").path("conditions").isEmpty()).as(updated.toString()).isTrue();
    }

    @Test
    void anApprovalWithoutStatusIsTrueAndOnlyTrueIsOne() throws Exception {
        JsonNode pending = create("s4");
        assertThat(cause(server.send("PUT", CSRS + "/s4/approval", "application/json", withConditions(pending, """
                [{"type":"Approved","status":"False","reason":"No"}]"""))))
                .isEqualTo("FieldValueNotSupported status.conditions[0].status Unsupported value: \"False\": "
                        + "supported values: \"True\"");
        JsonNode approved = ok(server.send("PUT", CSRS + "/s4/approval", "application/json", withConditions(pending, """
                [{"type":"Approved","reason":"Yes"}]""")), 200);
        assertThat(approved.path("status").path("conditions").get(0).path("status").asString()).isEqualTo("True");
    }
}
