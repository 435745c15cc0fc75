package io.kube4j.controllers.certificates.signer;

import io.kube4j.api.certificates.PemBlocks;
import io.kube4j.controllers.certificates.CertificateRequests;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
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
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsrSigningRulesTest {

    static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static PKCS10CertificationRequest request(String subject, KeyPair keys) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    @Test
    void expirationIsRaisedToTenMinutesAndCappedAtTheDefault() {
        assertThat(CsrSigningController.validity(null)).isEqualTo(CsrSigningController.DEFAULT_DURATION);
        assertThat(CsrSigningController.validity(60)).isEqualTo(Duration.ofSeconds(600));
        assertThat(CsrSigningController.validity(3600)).isEqualTo(Duration.ofHours(1));
        assertThat(CsrSigningController.validity(Integer.MAX_VALUE)).isEqualTo(CsrSigningController.DEFAULT_DURATION);
    }

    @Test
    void kubeletClientRequestsMustNameANodeInSystemNodesWithClientUsages() throws Exception {
        KeyPair k = keys();
        String kubelet = CertificateRequests.KUBELET_CLIENT_SIGNER;
        assertThat(CsrSigningController.signerProblem(kubelet, request("O=system:nodes,CN=system:node:a", k),
                List.of("digital signature", "client auth"))).isNull();
        assertThat(CsrSigningController.signerProblem(kubelet, request("O=system:masters,CN=system:node:a", k),
                List.of("client auth"))).contains("organization");
        assertThat(CsrSigningController.signerProblem(kubelet, request("O=system:nodes,CN=admin", k),
                List.of("client auth"))).contains("system:node:");
        assertThat(CsrSigningController.signerProblem(kubelet, request("O=system:nodes,CN=system:node:a", k),
                List.of("client auth", "server auth"))).contains("usages");
        assertThat(CsrSigningController.signerProblem(CertificateRequests.API_SERVER_CLIENT_SIGNER,
                request("CN=jane,O=developers", k), List.of("client auth"))).isNull();
        assertThat(CsrSigningController.signerProblem(CertificateRequests.API_SERVER_CLIENT_SIGNER,
                request("CN=jane", k), List.of("server auth"))).contains("usages");
    }

    @Test
    void issuedCertificatesAreSignedByTheCaForTheRequestedKeyAndNeverOutliveIt() throws Exception {
        KeyPair caKeys = keys();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=test-ca");
        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(2))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        byte[] caDer = ca.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())).getEncoded();
        SigningAuthority authority = SigningAuthority.fromPem(PemBlocks.encode("CERTIFICATE", caDer),
                PemBlocks.encode("PRIVATE KEY", caKeys.getPrivate().getEncoded()));

        KeyPair nodeKeys = keys();
        PKCS10CertificationRequest req = request("O=system:nodes,CN=system:node:n1", nodeKeys);
        String issued = authority.issue(req.getSubject(), req.getSubjectPublicKeyInfo(),
                List.of("digital signature", "client auth"), now, Duration.ofDays(365));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(issued.getBytes(StandardCharsets.US_ASCII)));
        X509Certificate caCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caDer));
        cert.verify(caCert.getPublicKey());
        assertThat(cert.getPublicKey()).isEqualTo(nodeKeys.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=system:node:n1").contains("O=system:nodes");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        // asked for a year, the CA lives two days: the certificate ends with the CA
        assertThat(cert.getNotAfter()).isEqualTo(caCert.getNotAfter());
        assertThat(cert.getNotBefore().toInstant()).isBefore(now);
    }
}
