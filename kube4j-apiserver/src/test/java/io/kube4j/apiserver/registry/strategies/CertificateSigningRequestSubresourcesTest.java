package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes through certificatesigningrequests/approval and /status at the registry, as upstream's csrApprovalStrategy
 * and csrStatusStrategy: what each keeps of the request and what server-side apply lets its manager own
 * ({@code GetResetFields}: approval resets spec and status.certificate, status resets spec and status.conditions).
 */
class CertificateSigningRequestSubresourcesTest {

    private static final String CERTIFICATE;

    static {
        try {
            // a certificate that parses: status.certificate is checked as upstream checks it
            CERTIFICATE = Base64.getEncoder().encodeToString(CertificateSigningRequestStrategyTest
                    .pemCertificate("node").getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private Resources resources;
    private GenericRegistry csrs;

    @BeforeEach
    void start() throws Exception {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        csrs = resources.find("certificates.k8s.io", "v1", "certificatesigningrequests").orElseThrow();
        ObjectNode csr = CertificateSigningRequestStrategyTest.csr(Base64.getEncoder().encodeToString(
                CertificateSigningRequestStrategyTest.pemRequest("node").getBytes(StandardCharsets.UTF_8)), null);
        csr.put("apiVersion", "certificates.k8s.io/v1").put("kind", "CertificateSigningRequest");
        Json.metadata(csr).remove("creationTimestamp");
        csrs.create(null, csr, false, "creator");
    }

    @AfterEach
    void stop() {
        resources.close();
        store.close();
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The fieldsV1 of {@code manager}'s entry written through {@code subresource}. */
    private static JsonNode fieldsOf(JsonNode obj, String manager, String subresource) {
        for (JsonNode entry : obj.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString().equals(manager)
                    && entry.path("subresource").asString("").equals(subresource)) {
                return entry.path("fieldsV1");
            }
        }
        throw new AssertionError("no managedFields entry of " + manager + "/" + subresource + " in " + obj);
    }

    private static List<String> conditionTypes(JsonNode obj) {
        List<String> types = new ArrayList<>();
        obj.path("status").path("conditions").forEach(c -> types.add(c.path("type").asString()));
        return types;
    }

    private ObjectNode applyApproval(String manager, String conditionType) {
        return csrs.apply(null, "x", parse("""
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"x"},
                 "spec":{"signerName":"other.example.com/signer"},
                 "status":{"certificate":"%s","conditions":[{"type":"%s","status":"True","reason":"ByTest",
                   "message":"m","lastUpdateTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}
                """.formatted(CERTIFICATE, conditionType)), manager, false, false, "approval").object();
    }

    @Test
    void anApplyToApprovalChangesAndOwnsTheConditionsOnly() {
        ObjectNode approved = applyApproval("approver", "Approved");

        assertThat(conditionTypes(approved)).containsExactly("Approved");
        assertThat(approved.path("spec").path("signerName").asString()).isEqualTo("example.com/signer");
        assertThat(approved.path("status").has("certificate")).as("the certificate is the signer's").isFalse();
        JsonNode fields = fieldsOf(approved, "approver", "approval");
        assertThat(fields.has("f:spec")).as(fields.toString()).isFalse();
        assertThat(fields.path("f:status").has("f:conditions")).as(fields.toString()).isTrue();
        assertThat(fields.path("f:status").has("f:certificate")).as(fields.toString()).isFalse();
    }

    @Test
    void anUpdateThroughApprovalKeepsSpecAndCertificate() {
        applyApproval("approver", "Approved");
        csrs.apply(null, "x", parse("""
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"x"},
                 "status":{"certificate":"%s"}}""".formatted(CERTIFICATE)), "signer", false, false, "status");

        ObjectNode body = csrs.get(null, "x").deepCopy();
        body.withObject("/spec").put("signerName", "other.example.com/signer");
        body.withObject("/status").put("certificate", "changed");
        ObjectNode updated = csrs.updateWritten(null, "x", body, false, "approval", "kubectl").object();

        assertThat(updated.path("spec").path("signerName").asString()).isEqualTo("example.com/signer");
        assertThat(updated.path("status").path("certificate").asString()).isEqualTo(CERTIFICATE);
        assertThat(conditionTypes(updated)).containsExactly("Approved");
    }

    @Test
    void anApplyToStatusOwnsTheCertificateButCannotApproveOrDeny() {
        // the applied conditions are merged in before the strategy sees them, so a Denied one is an addition: 422
        assertThatThrownBy(() -> csrs.apply(null, "x", parse("""
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"x"},
                 "status":{"certificate":"%s","conditions":[{"type":"Denied","status":"True","reason":"ByTest",
                   "message":"m","lastUpdateTime":"2026-01-01T00:00:00Z"}]}}
                """.formatted(CERTIFICATE)), "signer", false, false, "status"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422))
                .hasMessageContaining("updates may not add a condition of type \"Denied\"");
        ObjectNode issued = csrs.apply(null, "x", parse("""
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"x"},
                 "status":{"certificate":"%s"}}""".formatted(CERTIFICATE)), "signer", false, false, "status")
                .object();

        assertThat(conditionTypes(issued)).isEmpty();
        assertThat(issued.path("status").path("certificate").asString()).isEqualTo(CERTIFICATE);
        JsonNode fields = fieldsOf(issued, "signer", "status");
        assertThat(fields.path("f:status").has("f:certificate")).as(fields.toString()).isTrue();
        assertThat(fields.path("f:status").has("f:conditions")).as(fields.toString()).isFalse();

        ObjectNode approved = applyApproval("approver", "Approved");
        ObjectNode stillApproved = csrs.apply(null, "x", parse("""
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"x"},
                 "status":{"certificate":"%s","conditions":[{"type":"Approved","status":"True","reason":"Mine"}]}}
                """.formatted(CERTIFICATE)), "signer", false, false, "status").object();
        assertThat(conditionTypes(stillApproved)).containsExactly("Approved");
        assertThat(stillApproved.path("status").path("conditions")).isEqualTo(approved.path("status")
                .path("conditions"));
    }

    @Test
    void theMainResourceOwnsNeitherSpecNorStatus() {
        // upstream's csrStrategy resets both: a write there changes neither, so its manager owns neither
        for (JsonNode entry : csrs.get(null, "x").path("metadata").path("managedFields")) {
            assertThat(entry.path("fieldsV1").has("f:spec")).as(entry.toString()).isFalse();
            assertThat(entry.path("fieldsV1").has("f:status")).as(entry.toString()).isFalse();
        }
    }
}
