package io.kube4j.controllers.certificates.signer;

import io.kube4j.api.certificates.PemBlocks;
import io.kube4j.controllers.certificates.CertificateRequests;
import io.kube4j.controllers.certificates.approver.ServingCertificateApprovalTest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A kubelet serving certificate carries the request's names and server auth; the signer's rules for the signer. */
class ServingCertificateSigningTest {

    @Test
    void theIssuedServingCertificateNamesTheRequestedAddresses() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = generator.generateKeyPair();
        Instant now = Instant.now();
        var caCert = new JcaX509v3CertificateBuilder(new X500Name("CN=kube4j-ca"), BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(3650))), new X500Name("CN=kube4j-ca"),
                ca.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate()));
        String caPem = PemBlocks.encode("CERTIFICATE", caCert.getEncoded());
        String keyPem = PemBlocks.encode("PRIVATE KEY", ca.getPrivate().getEncoded());
        SigningAuthority authority = SigningAuthority.fromPem(caPem, keyPem);

        PKCS10CertificationRequest request = ServingCertificateApprovalTest.request(
                "O=system:nodes,CN=system:node:worker-1", new GeneralName(GeneralName.iPAddress, "10.0.0.7"),
                new GeneralName(GeneralName.dNSName, "worker-1"));
        List<String> usages = List.of("digital signature", "key encipherment", "server auth");
        assertThat(CsrSigningController.signerProblem(CertificateRequests.KUBELET_SERVING_SIGNER, request, usages))
                .isNull();
        assertThat(CsrSigningController.signerProblem(CertificateRequests.KUBELET_SERVING_SIGNER, request,
                List.of("client auth"))).isNotNull();

        String pem = authority.issue(request.getSubject(), request.getSubjectPublicKeyInfo(), usages, now,
                Duration.ofDays(365), CertificateRequests.subjectAltNames(request));
        X509Certificate issued = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-1,O=system:nodes");
        assertThat(issued.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(7, "10.0.0.7"),
                List.of(2, "worker-1"));
        assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(issued.getKeyUsage()[0]).as("digital signature").isTrue();
        assertThat(issued.getKeyUsage()[2]).as("key encipherment").isTrue();
        issued.verify(ca.getPublic());
        assertThat(Base64.getEncoder().encodeToString(issued.getPublicKey().getEncoded()))
                .isEqualTo(Base64.getEncoder().encodeToString(request.getSubjectPublicKeyInfo().getEncoded()));
    }
}
