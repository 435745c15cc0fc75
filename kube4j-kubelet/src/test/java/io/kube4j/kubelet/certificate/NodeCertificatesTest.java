package io.kube4j.kubelet.certificate;

import io.kube4j.apiserver.pki.Pem;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node's PKCS#10 requests and keys, written and read with the JDK alone. */
class NodeCertificatesTest {

    static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static PKCS10CertificationRequest read(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) parser.readObject();
        }
    }

    /** What Bouncy Castle's builder made for the same subject, key and names (before NodeCertificates). */
    static PKCS10CertificationRequest bouncyCastle(String node, List<String> dns, List<String> ips, KeyPair keys)
            throws Exception {
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "system:nodes")
                .addRDN(BCStyle.CN, "system:node:" + node).build();
        var builder = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        if (!dns.isEmpty() || !ips.isEmpty()) {
            List<GeneralName> sans = new ArrayList<>();
            dns.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        String algorithm = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
    }

    @Test
    void aServingRequestIsSignedAndEncodedAsBouncyCastleEncodedIt() throws Exception {
        KeyPair keys = ec();
        List<String> dns = List.of("worker-1", "worker-1.example.com");
        List<String> ips = List.of("10.0.0.7", "fd00:0:0:0:0:0:0:7");
        PKCS10CertificationRequest request = read(NodeCertificates.request("worker-1", dns, ips, keys));

        assertThat(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic()))).isTrue();
        assertThat(request.getSubject().toString()).isEqualTo("O=system:nodes,CN=system:node:worker-1");
        GeneralNames sans = GeneralNames.fromExtensions(request.getRequestedExtensions(), Extension.subjectAlternativeName);
        assertThat(sans.getNames()).extracting(n -> n.getTagNo() + " " + n.getName())
                .containsExactly("2 worker-1", "2 worker-1.example.com", "7 #0a000007", "7 #fd000000000000000000000000000007");
        // ECDSA signatures differ each time; everything signed is byte for byte what Bouncy Castle wrote
        PKCS10CertificationRequest before = bouncyCastle("worker-1", dns, ips, keys);
        assertThat(request.toASN1Structure().getCertificationRequestInfo().getEncoded())
                .isEqualTo(before.toASN1Structure().getCertificationRequestInfo().getEncoded());
        assertThat(request.getSignatureAlgorithm()).isEqualTo(before.getSignatureAlgorithm());
    }

    @Test
    void aClientRequestHasNoExtensionsAndAnRsaKeySignsWithSha256WithRsa() throws Exception {
        KeyPair keys = ec();
        PKCS10CertificationRequest request = read(NodeCertificates.request("node-a", List.of(), List.of(), keys));
        assertThat(request.getAttributes()).isEmpty();
        assertThat(request.toASN1Structure().getCertificationRequestInfo().getEncoded())
                .isEqualTo(bouncyCastle("node-a", List.of(), List.of(), keys).toASN1Structure()
                        .getCertificationRequestInfo().getEncoded());

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        PKCS10CertificationRequest signed = read(NodeCertificates.request("node-a", List.of("node-a"), List.of(), rsa));
        assertThat(signed.isSignatureValid(new JcaContentVerifierProviderBuilder().build(rsa.getPublic()))).isTrue();
        // RSA signatures are deterministic: the whole request is what Bouncy Castle wrote
        assertThat(signed.getEncoded()).isEqualTo(bouncyCastle("node-a", List.of("node-a"), List.of(), rsa).getEncoded());
    }

    @Test
    void aLongNameNeedsALongFormLength() throws Exception {
        KeyPair keys = ec();
        String node = "n".repeat(200);
        List<String> dns = List.of("a".repeat(63) + ".example.com", "b".repeat(63) + ".example.com");
        PKCS10CertificationRequest request = read(NodeCertificates.request(node, dns, List.of(), keys));
        assertThat(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic()))).isTrue();
        assertThat(request.toASN1Structure().getCertificationRequestInfo().getEncoded())
                .isEqualTo(bouncyCastle(node, dns, List.of(), keys).toASN1Structure().getCertificationRequestInfo().getEncoded());
    }

    @Test
    void anAddressThatIsNotAnIpLiteralIsRefusedRatherThanLookedUp() {
        assertThatThrownBy(() -> NodeCertificates.request("n", List.of(), List.of("worker-1.example.com"), ec()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an IP address: worker-1.example.com");
    }

    @Test
    void issuedCertificatesAreReadFromPemOrItsBase64() throws Exception {
        var pki = io.kube4j.apiserver.pki.ClusterPki.loadOrCreate(
                java.nio.file.Files.createTempDirectory("node-certificates"), io.kube4j.apiserver.pki.PkiOptions.defaults());
        String pem = Pem.certificate(pki.caCertificate());
        assertThat(NodeCertificates.parse(pem)).containsExactly(pki.caCertificate());
        assertThat(NodeCertificates.parse(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))))
                .containsExactly(pki.caCertificate());
        assertThatThrownBy(() -> NodeCertificates.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the certificate cannot be read");
    }
}
