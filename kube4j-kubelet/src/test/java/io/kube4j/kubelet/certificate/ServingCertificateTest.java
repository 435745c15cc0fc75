package io.kube4j.kubelet.certificate;

import io.kube4j.api.certificates.ServingNames;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.kubelet.server.ServingTls;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The kubelet's serving certificate: which names, when to renew, how it is kept. */
class ServingCertificateTest {

    @TempDir
    Path dir;

    static Node node(String... addresses) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().withNewStatus().endStatus();
        for (int i = 0; i < addresses.length; i += 2) {
            b.editStatus().addNewAddress(addresses[i + 1], addresses[i]).endStatus();
        }
        return b.build();
    }

    @Test
    void theNamesAreTheNodesAddressesByType() {
        ServingNames names = ServingNames.of(node("InternalIP", "10.0.0.7", "Hostname", "Worker-1",
                "ExternalDNS", "w1.example.com", "InternalIP", "fd00:0:0:0:0:0:0:7", "SomethingElse", "x"));
        assertThat(names.dnsNames()).containsExactly("w1.example.com", "worker-1");
        assertThat(names.ips()).containsExactly("10.0.0.7", "fd00:0:0:0:0:0:0:7");
        assertThat(ServingNames.of(null).isEmpty()).isTrue();
        assertThat(ServingNames.of(node()).isEmpty()).as("registered without addresses yet").isTrue();
    }

    @Test
    void theRequestIsUpstreamsKubeletServingShape() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String pem = ServingCertificateRequest.pkcs10("worker-1",
                ServingNames.of(node("InternalIP", "10.0.0.7", "Hostname", "worker-1")), generator.generateKeyPair());
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            request = (PKCS10CertificationRequest) parser.readObject();
        }
        assertThat(request.getSubject().toString()).isEqualTo("O=system:nodes,CN=system:node:worker-1");
        GeneralNames sans = GeneralNames.fromExtensions(request.getRequestedExtensions(), Extension.subjectAlternativeName);
        assertThat(sans.getNames()).extracting(GeneralName::getTagNo)
                .containsExactly(GeneralName.dNSName, GeneralName.iPAddress);
        assertThat(ServingCertificateRequest.USAGES).containsExactly("digital signature", "key encipherment",
                "server auth");
        assertThat(ServingCertificateRequest.SIGNER).isEqualTo("kubernetes.io/kubelet-serving");
    }

    @Test
    void aCertificateIsRenewedWhenMissingWhenTheNamesChangeOrAtItsDeadline() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        // ClusterPki adds the node name, 127.0.0.1 and localhost to what it is given
        CertifiedKey key = pki.kubeletServing("worker-1", List.of("10.0.0.7"));
        ServingTls tls = new ServingTls(List.of(key.certificate()), key.key(), pki.caCertificate());
        ServingNames same = ServingNames.of(node("InternalIP", "10.0.0.7", "InternalIP", "127.0.0.1",
                "Hostname", "worker-1", "Hostname", "localhost"));
        ServingNames moved = ServingNames.of(node("InternalIP", "10.0.0.8", "InternalIP", "127.0.0.1",
                "Hostname", "worker-1", "Hostname", "localhost"));
        Instant notBefore = key.certificate().getNotBefore().toInstant();
        Instant notAfter = key.certificate().getNotAfter().toInstant();
        Instant deadline = ServingCertificateManager.rotationDeadline(key.certificate(), 0.5);
        long lifetime = Duration.between(notBefore, notAfter).toMillis();
        assertThat(Duration.between(notBefore, deadline).toMillis()).isCloseTo((long) (lifetime * 0.8),
                org.assertj.core.data.Offset.offset(1L));
        assertThat(ServingCertificateManager.rotationDeadline(key.certificate(), 0)).isEqualTo(
                notBefore.plusMillis((long) (lifetime * 0.7)));

        assertThat(ServingCertificateManager.renewalReason(null, null, same, Instant.now())).isEqualTo("there is none yet");
        assertThat(ServingCertificateManager.renewalReason(tls, deadline, same, deadline.minusSeconds(1))).isNull();
        assertThat(ServingCertificateManager.renewalReason(tls, deadline, same, deadline)).contains("rotation deadline");
        assertThat(ServingCertificateManager.renewalReason(tls, deadline, moved, deadline.minusSeconds(1)))
                .contains("10.0.0.8");
    }

    @Test
    void theStoredCertificateAndKeyReadBackAndOnlyRootMayReadThem() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        CertifiedKey key = pki.kubeletServing("worker-1", List.of("10.0.0.7"));
        Path certDir = dir.resolve("kubelet-pki");
        assertThat(ServingCertificateFile.read(certDir, pki.caCertificate())).isNull();
        ServingCertificateFile.write(certDir, List.of(key.certificate()), key.key());
        ServingTls read = ServingCertificateFile.read(certDir, pki.caCertificate());
        assertThat(read.chain()).containsExactly(key.certificate());
        assertThat(read.key().getEncoded()).isEqualTo(key.key().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certDir.resolve(ServingCertificateFile.NAME))))
                .isEqualTo("rw-------");
        Files.writeString(certDir.resolve(ServingCertificateFile.NAME), "garbage");
        assertThat(ServingCertificateFile.read(certDir, pki.caCertificate())).as("unreadable: ask again").isNull();
    }
}
