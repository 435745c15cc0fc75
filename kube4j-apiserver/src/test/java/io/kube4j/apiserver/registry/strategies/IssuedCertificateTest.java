package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** status.certificate as upstream's validateCertificate reads it, and when a CSR update is held to it. */
class IssuedCertificateTest {

    private static String wire(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String block(String type, String body) {
        return "-----BEGIN " + type + "-----\n" + body + "-----END " + type + "-----\n";
    }

    @Test
    void pemCertificateBlocksPassAndNothingElse() throws Exception {
        String one = CertificateSigningRequestStrategyTest.pemCertificate("a");
        String two = CertificateSigningRequestStrategyTest.pemCertificate("b");
        assertThat(IssuedCertificate.problem("")).isNull();
        assertThat(IssuedCertificate.problem(wire(one))).isNull();
        assertThat(IssuedCertificate.problem(wire("a chain:\n" + one + "\n" + two + "trailing text"))).isNull();

        assertThat(IssuedCertificate.problem(wire("foo"))).isEqualTo("must contain at least one CERTIFICATE PEM block");
        assertThat(IssuedCertificate.problem(wire(one + block("CERTIFICATE REQUEST", "MIIB\n"))))
                .isEqualTo("only CERTIFICATE PEM blocks are allowed, found \"CERTIFICATE REQUEST\"");
        String base64 = one.substring(one.indexOf('\n') + 1, one.indexOf("-----END"));
        assertThat(IssuedCertificate.problem(wire(block("CERTIFICATE", "Proc-Type: 4,ENCRYPTED\n\n" + base64))))
                .isEqualTo("no PEM block headers are permitted");
        assertThat(IssuedCertificate.problem(wire(block("CERTIFICATE", ""))))
                .isEqualTo("found CERTIFICATE PEM block containing 0 certificates");
        assertThat(IssuedCertificate.problem(wire(block("CERTIFICATE", "MIIB\n")))).startsWith("x509: ");
        assertThat(IssuedCertificate.problem("%%%")).startsWith("illegal base64 data");
    }

    private static ObjectNode withCertificate(String certificate) {
        ObjectNode csr = Json.object();
        if (certificate != null) {
            csr.putObject("status").put("certificate", certificate);
        }
        return csr;
    }

    @Test
    void anUpdateIsHeldToItOnlyWhenItSetsAnotherCertificateOverAValidOne() throws Exception {
        String valid = wire(CertificateSigningRequestStrategyTest.pemCertificate("a"));
        assertThat(CertificateSigningRequestStrategy.validateConditionUpdate(withCertificate(wire("foo")),
                withCertificate(null), "status")).extracting(FieldError::field, FieldError::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("status.certificate",
                        "must contain at least one CERTIFICATE PEM block"));
        assertThat(CertificateSigningRequestStrategy.validateConditionUpdate(withCertificate(valid),
                withCertificate(null), "status")).isEmpty();
        // stored data from before the rule: an update that leaves it, or replaces it, is not held to it
        assertThat(CertificateSigningRequestStrategy.validateConditionUpdate(withCertificate(wire("foo")),
                withCertificate(wire("foo")), "status")).isEmpty();
        assertThat(CertificateSigningRequestStrategy.validateConditionUpdate(withCertificate(wire("bar")),
                withCertificate(wire("foo")), "")).isEmpty();
    }
}
