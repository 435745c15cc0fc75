package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateSigningRequestStrategyTest {

    private final CertificateSigningRequestStrategy strategy = new CertificateSigningRequestStrategy(
            io.kube4j.api.resource.ResourceRegistry.builtin().find("certificates.k8s.io", "v1",
                    "certificatesigningrequests").orElseThrow());

    static String pemRequest(String cn) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var keys = generator.generateKeyPair();
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(request.getEncoded())
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** A self-signed certificate as PEM: what a signer puts, base64-encoded, in status.certificate. */
    static String pemCertificate(String cn) throws Exception {
        var certificate = io.kube4j.apiserver.pki.CertificateAuthority.selfSigned(cn,
                io.kube4j.apiserver.pki.KeyAlgorithm.EC_P256.generate(), Instant.now(), java.time.Duration.ofHours(1))
                .certificate();
        return io.kube4j.api.certificates.PemBlocks.encode("CERTIFICATE", certificate.getEncoded());
    }

    static ObjectNode csr(String request, Long expirationSeconds) {
        ObjectNode obj = Json.object();
        Json.metadata(obj).put("name", "x").put("creationTimestamp", Instant.now().toString());
        ObjectNode spec = obj.putObject("spec");
        spec.put("request", request).put("signerName", "example.com/signer");
        spec.putArray("usages").add("client auth");
        if (expirationSeconds != null) {
            spec.put("expirationSeconds", expirationSeconds);
        }
        return obj;
    }

    @Test
    void aBase64PemRequestIsValid() throws Exception {
        String wire = Base64.getEncoder().encodeToString(pemRequest("a").getBytes(StandardCharsets.US_ASCII));
        assertThat(CertificateSigningRequestStrategy.parseRequest(wire)).isNotNull();
        assertThat(strategy.validateCreate(csr(wire, 3600L))).isEmpty();
    }

    @Test
    void garbageOrAShortExpirationIsAFieldError() throws Exception {
        List<FieldError> errors = strategy.validateCreate(csr(Base64.getEncoder().encodeToString("no".getBytes()), 60L));
        assertThat(errors).extracting(FieldError::field).containsExactly("spec.request", "spec.expirationSeconds");
    }

    @Test
    void theSpecNeverChangesAndTheConditionColumnSummarisesTheStatus() throws Exception {
        String wire = Base64.getEncoder().encodeToString(pemRequest("a").getBytes(StandardCharsets.US_ASCII));
        ObjectNode old = csr(wire, null);
        ObjectNode changed = csr(wire, 7200L);
        changed.putObject("status").putArray("conditions").addObject().put("type", "Approved").put("status", "True");
        strategy.prepareForUpdate(changed, old);
        assertThat(changed.path("spec").has("expirationSeconds")).isFalse();
        assertThat(changed.has("status")).isFalse();
        assertThat(strategy.tablePrinter().cells(old, Instant.now()).get(5)).isEqualTo("Pending");
        old.putObject("status").put("certificate", "Zm9v").putArray("conditions").addObject().put("type", "Approved")
                .put("status", "True");
        assertThat(strategy.tablePrinter().cells(old, Instant.now()).get(5)).isEqualTo("Approved,Issued");
    }
}
