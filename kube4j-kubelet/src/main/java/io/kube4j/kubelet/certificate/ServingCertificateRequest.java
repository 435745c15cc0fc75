package io.kube4j.kubelet.certificate;

import io.kube4j.api.certificates.ServingNames;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
        try {
            var subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "system:nodes")
                    .addRDN(BCStyle.CN, "system:node:" + nodeName).build();
            List<GeneralName> sans = new ArrayList<>();
            names.dnsNames().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            names.ips().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            var request = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(keys.getPrivate().getAlgorithm().equals("RSA")
                            ? "SHA256withRSA" : "SHA256withECDSA").build(keys.getPrivate()));
            return ServingCertificateFile.block("CERTIFICATE REQUEST", request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build the serving certificate request: " + e.getMessage(), e);
        }
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
                List<X509Certificate> chain = parse(current.getStatus().getCertificate());
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

    /** status.certificate: PEM, base64-encoded as fabric8 carries []byte fields. */
    static List<X509Certificate> parse(String statusCertificate) {
        String pem = statusCertificate.startsWith("-----BEGIN") ? statusCertificate
                : new String(Base64.getDecoder().decode(statusCertificate.trim()), StandardCharsets.US_ASCII);
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) c);
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalStateException("the issued certificate cannot be read: " + e.getMessage(), e);
        }
    }
}
