package io.kube4j.apiserver.registry.strategies;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CertificateSigningRequest's status over HTTP as upstream serves it: status.conditions is a list map keyed by type
 * to server-side apply (two managers own a condition each), and status.certificate must be PEM CERTIFICATE blocks
 * (422 on the field otherwise).
 */
class CertificateSigningRequestStatusApiTest {

    private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode ok(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode create(String name) throws Exception {
        String request = Base64.getEncoder().encodeToString(
                CertificateSigningRequestStrategyTest.pemRequest(name).getBytes(StandardCharsets.UTF_8));
        return ok(server.send("POST", CSRS, "application/json", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"%s"},
                 "spec":{"request":"%s","signerName":"example.com/signer","usages":["client auth"]}}
                """.formatted(name, request)), 201);
    }

    private static String applyCondition(String name, String type) {
        return """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"%s"},
                 "status":{"conditions":[{"type":"%s","status":"True","reason":"ByTest"}]}}""".formatted(name, type);
    }

    @Test
    void twoManagersApplyAConditionEach() throws Exception {
        create("applied");
        ok(server.send("PATCH", CSRS + "/applied/approval?fieldManager=approver", "application/apply-patch+yaml",
                applyCondition("applied", "Approved")), 200);
        // an atomic list would be the approver's whole: a conflict without force, Approved dropped with it
        JsonNode both = ok(server.send("PATCH", CSRS + "/applied/approval?fieldManager=checker",
                "application/apply-patch+yaml", applyCondition("applied", "example.com/Checked")), 200);
        assertThat(both.path("status").path("conditions").findValuesAsString("type"))
                .containsExactly("Approved", "example.com/Checked");
        for (JsonNode entry : both.path("metadata").path("managedFields")) {
            String manager = entry.path("manager").asString();
            if (manager.equals("approver") || manager.equals("checker")) {
                assertThat(entry.path("fieldsV1").path("f:status").path("f:conditions").propertyNames())
                        .as(entry.toString()).contains(manager.equals("approver") ? "k:{\"type\":\"Approved\"}"
                                : "k:{\"type\":\"example.com/Checked\"}");
            }
        }

        // the checker withdraws its condition: only its own goes
        JsonNode withdrawn = ok(server.send("PATCH", CSRS + "/applied/approval?fieldManager=checker",
                "application/apply-patch+yaml", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"applied"},
                 "status":{}}"""), 200);
        assertThat(withdrawn.path("status").path("conditions").findValuesAsString("type")).containsExactly("Approved");
    }

    @Test
    void aCertificateThatIsNotPemCertificatesIsRefusedOnTheField() throws Exception {
        JsonNode pending = create("issued");
        ObjectNode body = (ObjectNode) pending.deepCopy();
        body.withObject("/status").put("certificate", Base64.getEncoder().encodeToString(
                "not a certificate".getBytes(StandardCharsets.UTF_8)));
        JsonNode refused = ok(server.send("PUT", CSRS + "/issued/status", "application/json", body.toString()), 422);
        assertThat(refused.path("reason").asString()).isEqualTo("Invalid");
        assertThat(refused.path("details").path("causes").get(0).path("field").asString())
                .isEqualTo("status.certificate");
        assertThat(refused.path("details").path("causes").get(0).path("message").asString())
                .isEqualTo("Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE PEM block");

        String pem = CertificateSigningRequestStrategyTest.pemCertificate("issued");
        body.withObject("/status").put("certificate", Base64.getEncoder().encodeToString(
                pem.getBytes(StandardCharsets.UTF_8)));
        JsonNode issued = ok(server.send("PUT", CSRS + "/issued/status", "application/json", body.toString()), 200);
        assertThat(new String(Base64.getDecoder().decode(issued.path("status").path("certificate").asString()),
                StandardCharsets.UTF_8)).isEqualTo(pem);
    }
}
