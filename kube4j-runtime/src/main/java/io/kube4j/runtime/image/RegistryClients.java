package io.kube4j.runtime.image;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per TLS setting: the system's trusted CAs plus a registry's own CA (or no checks at
 * all), and a client certificate when the registry wants one.
 */
final class RegistryClients {
    private final Map<RegistryConfig.Tls, HttpClient> clients = new ConcurrentHashMap<>();

    HttpClient forTls(RegistryConfig.Tls tls) {
        return clients.computeIfAbsent(tls, RegistryClients::create);
    }

    private static HttpClient create(RegistryConfig.Tls tls) {
        // HTTP/1.1: JDK 17's HTTP/2 client (ALPN) now and then never notices a registry refusing the TLS
        // handshake (a TLS 1.3 alert after the client's Finished) and the pull waits out the request timeout;
        // measured at 2 in 600 attempts against docker-registry asking for a client certificate, 0 in 1,500 over HTTP/1.1.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls.insecureSkipVerify() || tls.caFile() != null || tls.certFile() != null) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                TrustManager trust = tls.insecureSkipVerify() ? new TrustEverything() : withExtraCa(tls);
                context.init(tls.certFile() == null ? null : clientCertificate(tls), new TrustManager[]{trust}, null);
                builder.sslContext(context);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("cannot use the TLS files of a registry (ca_file " + tls.caFile() + ", cert_file "
                        + tls.certFile() + ", key_file " + tls.keyFile() + "): " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /** containerd adds a configured CA to the system pool rather than replacing it; so does this. */
    private static KeyManager[] clientCertificate(RegistryConfig.Tls tls) throws GeneralSecurityException, IOException {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(tls.certFile())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
        if (chain.length == 0) {
            throw new CertificateException("no PEM certificate in " + tls.certFile());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("client", privateKey(tls.keyFile()), password, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    /** An unencrypted PKCS#8 PEM key ("BEGIN PRIVATE KEY"), RSA or EC: what openssl writes by default. */
    private static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        String pem = Files.readString(file);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new InvalidKeySpecException(file + " is not an unencrypted PKCS#8 PEM key: convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out " + file);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end)));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    private static TrustManager withExtraCa(RegistryConfig.Tls tls) throws GeneralSecurityException, IOException {
        if (tls.caFile() == null) {
            return trustManagers(null)[0];
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509TrustManager system : trustManagers(null)) {
            for (X509Certificate ca : system.getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + n++, ca);
            }
        }
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(tls.caFile())) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (extra.isEmpty()) {
            throw new CertificateException("no PEM certificate in the file");
        }
        for (Certificate ca : extra) {
            store.setCertificateEntry("registry-" + n++, ca);
        }
        return trustManagers(store)[0];
    }

    private static X509TrustManager[] trustManagers(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return java.util.Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                .toArray(X509TrustManager[]::new);
    }

    /**
     * insecure_skip_verify: neither the chain nor the host name is checked. It must be an extended
     * trust manager, or the JDK wraps it and still checks the host name.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
