package io.kube4j.kubelet.server;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * The kubelet server's TLS listening socket. Client certificates are requested, not required, and any is accepted
 * by the handshake: the authenticator judges them, so that a missing or foreign certificate is a 401 and a token
 * can still be used, as upstream's kubelet does.
 */
final class TlsServerSockets {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsServerSockets() {
    }

    static ServerSocket create(ServingTls tls) throws IOException {
        try {
            char[] password = "k".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("serving", tls.key(), password, tls.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new X509TrustManager[]{new AnyClientCertificate(tls.clientCa())}, null);
            SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.setEnabledProtocols(PROTOCOLS);
            socket.setWantClientAuth(true);
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the kubelet server's TLS: " + e.getMessage(), e);
        }
    }

    /** Names the client CA (so clients pick the right certificate) and leaves the verdict to the authenticator. */
    private record AnyClientCertificate(X509Certificate clientCa) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // judged per request by ClientCertificateAuthenticator
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server socket does not verify servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[]{clientCa};
        }
    }
}
