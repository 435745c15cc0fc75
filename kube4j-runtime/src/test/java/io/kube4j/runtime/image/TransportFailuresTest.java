package io.kube4j.runtime.image;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry that wants a client certificate turns a handshake without one down after the client's side of it is
 * done (TLS 1.3): the pull sees the server's alert, a closed connection or a reset one, depending on timing, and each
 * must say what to configure.
 */
class TransportFailuresTest {
    private static final RegistryConfig.Endpoint NO_CLIENT_CERT = new RegistryConfig.Endpoint("https://127.0.0.1:5000",
            "127.0.0.1:5000", null, null, new RegistryConfig.Tls(Path.of("/ca.pem"), null, null, false), Map.of());
    private static final String HINT = "configs.\"127.0.0.1:5000\".tls.cert_file and key_file in registries.yaml";

    @Test
    void aClosedOrResetConnectionAfterTheHandshakeNamesTheClientCertificate() {
        assertThat(TransportFailures.explain(new IOException("x", new ClosedChannelException()), NO_CLIENT_CERT))
                .contains(HINT);
        assertThat(TransportFailures.explain(new IOException("Connection reset", new SocketException("Connection reset")), NO_CLIENT_CERT))
                .startsWith("the registry closed the connection after the TLS handshake (Connection reset)")
                .contains(HINT);
    }

    @Test
    void aResetFromARegistryGivenAClientCertificateIsNotBlamedOnIt() {
        RegistryConfig.Endpoint withCert = new RegistryConfig.Endpoint("https://127.0.0.1:5000", "127.0.0.1:5000", null,
                null, new RegistryConfig.Tls(null, Path.of("/c.pem"), Path.of("/k.pem"), false), Map.of());
        assertThat(TransportFailures.explain(new SocketException("Connection reset"), withCert))
                .isEqualTo("Connection reset");
    }
}
