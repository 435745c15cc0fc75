package io.kube4j.kubelet.certificate;

import io.kube4j.api.certificates.ServingNames;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One {@code kubernetes.io/kubelet-serving} CertificateSigningRequest, as upstream's kubelet makes it: subject
 * {@code CN=system:node:<name>, O=system:nodes}, the node's addresses as names, usages digital signature, key
 * encipherment and server auth; then waiting until it is issued (approved by the controller manager's approver,
 * signed by its signer). The private key never leaves the node.
 */
final class ServingCertificateRequest {
    static final String SIGNER = "kubernetes.io/kubelet-serving";
    static final List<String> USAGES = List.of("digital signature", "key encipherment", "server auth");
    private static final Duration POLL = Duration.ofSeconds(1);

    private ServingCertificateRequest() {
    }

    /** The PKCS#10 request in PEM. */
    static String pkcs10(String nodeName, ServingNames names, KeyPair keys) {
        return NodeCertificates.request(nodeName, names.dnsNames(), names.ips(), keys);
    }

    /** Creates the CertificateSigningRequest and returns its generated name. */
    static String submit(KubernetesClient client, String pkcs10Pem) {
        CertificateSigningRequest csr = new CertificateSigningRequestBuilder()
                .withNewMetadata().withGenerateName("csr-").endMetadata()
                .withNewSpec()
                .withSignerName(SIGNER)
                .withUsages(USAGES)
                .withRequest(Base64.getEncoder().encodeToString(pkcs10Pem.getBytes(StandardCharsets.US_ASCII)))
                .endSpec().build();
        return client.certificates().v1().certificateSigningRequests().resource(csr).create().getMetadata().getName();
    }

    /**
     * Waits until {@code name} is issued and returns its certificate chain, which must be for {@code publicKey}.
     * Throws when it was denied, failed, deleted, or not issued within {@code timeout}.
     */
    static List<X509Certificate> awaitIssued(KubernetesClient client, String name, PublicKey publicKey,
                                             Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        var csrs = client.certificates().v1().certificateSigningRequests();
        while (true) {
            CertificateSigningRequest current = csrs.withName(name).get();
            if (current == null) {
                throw new IllegalStateException("certificate signing request " + name + " was deleted before it was "
                        + "issued");
            }
            if (current.getStatus() != null && current.getStatus().getConditions() != null) {
                for (CertificateSigningRequestCondition c : current.getStatus().getConditions()) {
                    if (("Denied".equals(c.getType()) || "Failed".equals(c.getType())) && !"False".equals(c.getStatus())) {
                        throw new IllegalStateException("certificate signing request " + name + " was "
                                + c.getType().toLowerCase(Locale.ROOT) + (c.getMessage() == null ? "" : ": " + c.getMessage()));
                    }
                }
            }
            if (current.getStatus() != null && current.getStatus().getCertificate() != null
                    && !current.getStatus().getCertificate().isEmpty()) {
                List<X509Certificate> chain = NodeCertificates.parse(current.getStatus().getCertificate());
                if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(publicKey)) {
                    throw new IllegalStateException("the certificate issued for " + name + " is not for this node's key");
                }
                return chain;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("certificate signing request " + name + " was not issued within "
                        + timeout.toSeconds() + "s (approve it with kubectl certificate approve " + name + ")");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
