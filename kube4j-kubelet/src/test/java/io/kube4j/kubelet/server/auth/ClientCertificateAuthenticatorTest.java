package io.kube4j.kubelet.server.auth;

import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientCertificateAuthenticatorTest {

    @TempDir
    Path dir;

    @Test
    void aClientCertificateOfTheClusterCaNamesTheUserAndGroups() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        ClientCertificateAuthenticator authenticator = new ClientCertificateAuthenticator(pki.caCertificate());
        assertThat(authenticator.authenticate(List.of(pki.kubeletApiClient().certificate())))
                .contains(new User("kube-apiserver-kubelet-client", "", List.of("system:masters", "system:authenticated"),
                        null));
        assertThat(authenticator.authenticate(List.of(pki.kubelet("n1").certificate())).orElseThrow().groups())
                .containsExactly("system:nodes", "system:authenticated");
    }

    @Test
    void foreignServingOrMissingCertificatesAuthenticateNobody() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        ClusterPki other = ClusterPki.loadOrCreate(dir.resolve("other"), PkiOptions.defaults());
        ClientCertificateAuthenticator authenticator = new ClientCertificateAuthenticator(pki.caCertificate());
        assertThat(authenticator.authenticate(List.of(other.admin().certificate()))).isEmpty();
        assertThat(authenticator.authenticate(List.of(pki.kubeletServing("n1", List.of()).certificate()))).isEmpty();
        assertThat(authenticator.authenticate(List.of())).isEmpty();
    }
}
