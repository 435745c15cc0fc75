package io.kube4j.apiserver.admission.webhook;

import io.kube4j.apiserver.pki.Pem;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** The TLS context a webhook is called with: trusting only its {@code caBundle}, or the JVM's roots without one. */
final class CaBundles {

    private CaBundles() {
    }

    static SSLContext trusting(String caBundle) throws WebhookFailure {
        try {
            if (caBundle == null || caBundle.isEmpty()) {
                return SSLContext.getDefault();
            }
            String pem = new String(Base64.getMimeDecoder().decode(caBundle.trim()), StandardCharsets.UTF_8);
            List<X509Certificate> cas = Pem.parseCertificates(pem);
            if (cas.isEmpty()) {
                throw new WebhookFailure("caBundle holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new WebhookFailure("invalid caBundle: " + e.getMessage());
        }
    }
}
