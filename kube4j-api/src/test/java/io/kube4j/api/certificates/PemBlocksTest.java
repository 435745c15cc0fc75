package io.kube4j.api.certificates;

import org.junit.jupiter.api.Test;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PEM as openssl and kube4j write it, read and written with the JDK alone. */
class PemBlocksTest {
    /** {@code openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pem-blocks-test}. */
    private static final String CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBiTCCAS+gAwIBAgIUAzWRCi3qo2kpcnn84uZQnSbutnMwCgYIKoZIzj0EAwIw
            GjEYMBYGA1UEAwwPcGVtLWJsb2Nrcy10ZXN0MB4XDTI2MTEyNzAwNDg1MFoXDTM2
            MTEyNDAwNDg1MFowGjEYMBYGA1UEAwwPcGVtLWJsb2Nrcy10ZXN0MFkwEwYHKoZI
            zj0CAQYIKoZIzj0DAQcDQgAEvFbM0s3KEyn/sTM06LOrik7i615n1BQtKsHR/am6
            YsojFQToP4UnEyIC1yA43j9kiVcawi6tq2T6DCJ7Xc4DkqNTMFEwHQYDVR0OBBYE
            FCqIC+1J2YF2HiWEOe8o5sYakDnEMB8GA1UdIwQYMBaAFCqIC+1J2YF2HiWEOe8o
            5sYakDnEMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAKIO7jpv
            ZT8UYVJwl0WaxY8FDrm/pHQMeg+7tNw8LwawAiAqtyqsowOpLn8eJliFLMZ4/Lng
            rxVyFhQT+UE9B5kxlA==
            -----END CERTIFICATE-----
            """;
    private static final String KEY = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYCswgA4jy54culHE
            uTJQzebwYxJx0nMd3H6GWxluBAGhRANCAAS8VszSzcoTKf+xMzTos6uKTuLrXmfU
            FC0qwdH9qbpiyiMVBOg/hScTIgLXIDjeP2SJVxrCLq2rZPoMIntdzgOS
            -----END PRIVATE KEY-----
            """;

    @Test
    void aFileWithTheChainAndItsKeyGivesBoth() throws Exception {
        String file = CERTIFICATE + KEY + CERTIFICATE;
        List<X509Certificate> chain = PemBlocks.certificates(file);
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=pem-blocks-test");
        assertThat(PemBlocks.privateKey(file).getAlgorithm()).isEqualTo("EC");
        assertThat(PemBlocks.certificates(KEY)).isEmpty();
    }

    @Test
    void encodeWritesWhatOpensslWrites() throws Exception {
        X509Certificate certificate = PemBlocks.certificates(CERTIFICATE).get(0);
        assertThat(PemBlocks.encode("CERTIFICATE", certificate.getEncoded())).isEqualTo(CERTIFICATE);
    }

    @Test
    void pkcs8KeysAreReadBackWithTheirAlgorithm() throws Exception {
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            KeyPair keys = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
            assertThat(PemBlocks.privateKey(PemBlocks.encode("PRIVATE KEY", keys.getPrivate().getEncoded())))
                    .as(algorithm).isEqualTo(keys.getPrivate());
        }
    }

    @Test
    void whatIsNotAPkcs8KeyOrACertificateIsRefused() {
        assertThatThrownBy(() -> PemBlocks.privateKey(
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("no PKCS#8 \"PRIVATE KEY\" block");
        assertThatThrownBy(() -> PemBlocks.privateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("unsupported private key");
        assertThatThrownBy(() -> PemBlocks.privateKey("-----BEGIN PRIVATE KEY-----\nA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageStartingWith("the PRIVATE KEY block is not base64");
        assertThatThrownBy(() -> PemBlocks.certificates(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
