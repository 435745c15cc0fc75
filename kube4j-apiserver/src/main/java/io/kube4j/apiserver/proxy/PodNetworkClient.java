package io.kube4j.apiserver.proxy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * The client the API server reaches pods and service endpoints with ({@code pods/proxy}, {@code services/proxy}):
 * HTTP/1.1, and for an {@code https:} target TLS without verifying the pod's certificate - upstream's proxy
 * transport does the same ({@code InsecureSkipVerify}), since a pod's serving certificate is its own business and
 * no cluster CA vouches for it. The pod is reached by IP, so there is no name to check either.
 */
public final class PodNetworkClient {

    private PodNetworkClient() {
    }

    public static HttpClient create(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(anyServerTls()).build();
    }

    /** How a protocol switch (a WebSocket to a pod) reaches an {@code https:} target: the same unverified TLS. */
    public static KubeletTransport upgrades() {
        return KubeletTransport.tls(anyServerTls());
    }

    private static SSLContext anyServerTls() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[]{new AnyServer()}, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    /**
     * Accepts any server certificate. The extended form matters: JSSE checks the host name inside the trust
     * manager, so a plain X509TrustManager would still refuse a certificate that does not name the pod's IP.
     */
    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("this trust manager only checks servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
