package io.kube4j.kubelet.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
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

    /**
     * @param current the serving certificate of the moment (read at every handshake, so rotation needs no restart);
     *                null until one is issued
     */
    static ServerSocket create(java.util.function.Supplier<ServingTls> current, X509Certificate clientCa)
            throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[]{new CurrentCertificateKeyManager(current)},
                    new X509TrustManager[]{new AnyClientCertificate(clientCa)}, null);
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
