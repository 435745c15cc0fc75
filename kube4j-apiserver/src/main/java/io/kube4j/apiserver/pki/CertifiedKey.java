package io.kube4j.apiserver.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A certificate and its private key. */
public record CertifiedKey(X509Certificate certificate, PrivateKey key) {

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }
}
