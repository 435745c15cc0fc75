package io.kube4j.kubelet.certificate;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * Upstream's {@code serverTLSBootstrap: true}: the kubelet obtains its serving certificate from the cluster through
 * a {@code kubernetes.io/kubelet-serving} CertificateSigningRequest and keeps it renewed, instead of being handed one.
 *
 * @param clientCa the CA whose client certificates the kubelet server accepts (the cluster CA)
 * @param certDir  where the current certificate and key are kept across restarts (upstream's --cert-dir)
 */
public record ServingBootstrap(X509Certificate clientCa, Path certDir) {
    public ServingBootstrap {
        if (clientCa == null || certDir == null) {
            throw new IllegalArgumentException("serving certificate bootstrap needs the client CA and a directory");
        }
    }
}
