package io.kube4j.apiserver.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterPkiTest {

    @TempDir
    Path dir;

    @Test
    void createsCaServingAndClientCertificatesWithPrivateKeys() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir, PkiOptions.defaults().withNodeAddresses(List.of("192.168.1.7"))
                .withTlsSans(List.of("k.example.com")));

        X509Certificate ca = pki.caCertificate();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(3600));

        X509Certificate serving = pki.serving().certificate();
        serving.verify(ca.getPublicKey());
        assertThat(ClusterPki.subjectAltNames(serving)).contains("127.0.0.1", "localhost", "kubernetes",
                "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.43.0.1",
                "192.168.1.7", "k.example.com");
        assertThat(serving.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");

        X509Certificate admin = pki.admin().certificate();
        admin.verify(ca.getPublicKey());
        assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=system:admin,O=system:masters");
        assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(pki.kubelet("node-1").certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=system:node:node-1,O=system:nodes");
        assertThat(pki.scheduler().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=system:kube-scheduler");

        for (String key : List.of("ca.key", "serving-kube-apiserver.key", "admin.key", "sa.key", "kubelet-node-1.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                    .as(key).isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void restartReusesEverything() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());
        ClusterPki second = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serving().certificate()).isEqualTo(first.serving().certificate());
        assertThat(second.admin().certificate()).isEqualTo(first.admin().certificate());
        assertThat(second.serviceAccountKey().getPublic()).isEqualTo(first.serviceAccountKey().getPublic());
    }

    @Test
    void leafCertificatesWithinNinetyDaysOfExpiryAreRenewedWithTheSameCa() throws Exception {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(300)), ZoneOffset.UTC);
        ClusterPki old = ClusterPki.loadOrCreate(dir, PkiOptions.defaults().withClock(past));
        assertThat(old.serving().notAfter()).isBefore(Instant.now().plus(ClusterPki.RENEW_BEFORE));

        ClusterPki renewed = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());

        assertThat(renewed.caCertificate()).isEqualTo(old.caCertificate());
        assertThat(renewed.serving().certificate()).isNotEqualTo(old.serving().certificate());
        assertThat(renewed.serving().notAfter()).isAfter(Instant.now().plus(Duration.ofDays(300)));
        assertThat(renewed.admin().notAfter()).isAfter(Instant.now().plus(Duration.ofDays(300)));
        renewed.admin().certificate().verify(old.caCertificate().getPublicKey());
    }

    @Test
    void caNearItsExpiryIsRenewedWithTheSameKeySoOldLeavesStillVerify() throws Exception {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(3600)), ZoneOffset.UTC);
        ClusterPki old = ClusterPki.loadOrCreate(dir, PkiOptions.defaults().withClock(past));

        ClusterPki renewed = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());

        assertThat(renewed.caCertificate()).isNotEqualTo(old.caCertificate());
        assertThat(renewed.caCertificate().getPublicKey()).isEqualTo(old.caCertificate().getPublicKey());
        assertThat(renewed.caCertificate().getNotAfter().toInstant())
                .isAfter(Instant.now().plus(Duration.ofDays(3000)));
        renewed.serving().certificate().verify(old.caCertificate().getPublicKey());
    }

    @Test
    void aNewTlsSanReissuesTheServingCertificate() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());
        assertThat(ClusterPki.subjectAltNames(first.serving().certificate())).doesNotContain("10.9.9.9");

        ClusterPki second = ClusterPki.loadOrCreate(dir, PkiOptions.defaults().withTlsSans(List.of("10.9.9.9")));

        assertThat(ClusterPki.subjectAltNames(second.serving().certificate())).contains("10.9.9.9");
        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.admin().certificate()).isEqualTo(first.admin().certificate());
    }

    @Test
    void controlPlaneKubeconfigsAreWrittenPrivately() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        var files = Kubeconfigs.writeControlPlane(pki, dir, "https://127.0.0.1:6443");
        assertThat(files).containsKeys(ClusterPki.ADMIN, ClusterPki.SCHEDULER, ClusterPki.CONTROLLER_MANAGER,
                ClusterPki.KUBE_PROXY);
        for (Path file : files.values()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains("certificate-authority-data: ", "client-key-data: ",
                    "server: https://127.0.0.1:6443");
        }
    }

    @Test
    void rsaKeysWork() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir, PkiOptions.defaults().withKeyAlgorithm(KeyAlgorithm.RSA_2048));
        assertThat(pki.caCertificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        pki.admin().certificate().verify(pki.caCertificate().getPublicKey());
    }

    @Test
    void rejectsBadNodeNames() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pki.kubelet("../etc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kubeletServingCertificateNamesTheNodeItsAddressesAndLoopbackAndIsReissuedWhenAnAddressIsNew()
            throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());
        CertifiedKey serving = pki.kubeletServing("node-a", List.of("10.1.2.3"));
        assertThat(ClusterPki.subjectAltNames(serving.certificate()))
                .contains("node-a", "10.1.2.3", "127.0.0.1", "localhost");
        assertThat(serving.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        serving.certificate().verify(pki.caCertificate().getPublicKey());
        assertThat(pki.kubeletServing("node-a", List.of("10.1.2.3")).certificate())
                .isEqualTo(serving.certificate());
        CertifiedKey moved = pki.kubeletServing("node-a", List.of("10.9.9.9"));
        assertThat(ClusterPki.subjectAltNames(moved.certificate())).contains("10.9.9.9");
        assertThat(moved.key()).isEqualTo(serving.key());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pki.kubeletServing("Bad_Name", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kubeletClientCertificateOfTheApiServerIsASystemMaster() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir, PkiOptions.defaults());
        X509Certificate client = pki.kubeletApiClient().certificate();
        assertThat(client.getSubjectX500Principal().getName())
                .contains("CN=kube-apiserver-kubelet-client").contains("O=system:masters");
        assertThat(client.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        client.verify(pki.caCertificate().getPublicKey());
    }
}
