package io.kube4j.apiserver.proxy;

import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.TlsContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How the API server reaches kubelet servers. With a cluster PKI (secure serving): HTTPS, the kubelet's serving
 * certificate verified against the cluster CA and host name, and the {@code kube-apiserver-kubelet-client}
 * certificate presented, as upstream's {@code --kubelet-client-certificate} and
 * {@code --kubelet-certificate-authority}. Under insecure serving (tests), plain HTTP to kubelets that serve it.
 */
public final class KubeletTransport {

    public static final KubeletTransport PLAIN = new KubeletTransport(null);

    private final SSLContext tls;

    private KubeletTransport(SSLContext tls) {
        this.tls = tls;
    }

    /** HTTPS with the PKI's kubelet client certificate; plain HTTP when {@code pki} is null. */
    public static KubeletTransport of(ClusterPki pki) {
        return pki == null ? PLAIN : new KubeletTransport(TlsContexts.client(pki.caCertificate(), pki.kubeletApiClient()));
    }

    /** HTTPS with a given client context (tests). */
    public static KubeletTransport tls(SSLContext context) {
        return new KubeletTransport(context);
    }

    public boolean secure() {
        return tls != null;
    }

    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** An HTTP/1.1 client for plain requests (logs, node proxy). */
    public HttpClient httpClient(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /** A client-side TLS handler for a Netty connection to {@code host:port}, checking the host name; null for plain. */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        if (tls == null) {
            return null;
        }
        SSLEngine engine = tls.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[]{"http/1.1"});
        engine.setSSLParameters(parameters);
        return new SslHandler(engine);
    }
}
