package io.kube4j.runtime.image;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registry clients speak HTTP/1.1: JDK 17's HTTP/2 client sometimes never notices a TLS 1.3 refusal of the
 * handshake, and a pull from a registry that wants a client certificate then hangs until its timeout
 * ({@code RegistryClientCertificateTest} meets it against a real registry).
 */
class RegistryClientsTest {
    @Test
    void everyTlsSettingGetsAnHttp11Client() {
        RegistryClients clients = new RegistryClients();
        assertThat(clients.forTls(new RegistryConfig.Tls(null, null, null, false)).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(clients.forTls(new RegistryConfig.Tls(null, null, null, true)).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
}
