package io.kube4j.cli.agent;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.Pem;
import io.kube4j.kubelet.certificate.NodeCertificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Obtains a node's client certificate the way a kubeadm-joined kubelet does: a key generated and kept on the node,
 * a CertificateSigningRequest for {@code CN=system:node:<name>, O=system:nodes} to the
 * {@code kubernetes.io/kube-apiserver-client-kubelet} signer, then waiting until the controller manager approves
 * and signs it. The private key never leaves the node.
 */
public final class NodeCertificateRequest {

    public static final String SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";

    private NodeCertificateRequest() {
    }

    /**
     * Requests and returns the certificate for {@code nodeName}, with the key stored (0600) in {@code keyFile}
     * (reused if it already exists, so that a retried join keeps one key).
     */
    public static CertifiedKey obtain(KubernetesClient bootstrapClient, String nodeName, Path keyFile,
                                      Duration timeout) throws IOException, InterruptedException {
        KeyPair keys = loadOrCreateKey(keyFile);
        String requestPem = request(nodeName, keys);
        String name = "node-csr-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        CertificateSigningRequest csr = new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withSignerName(SIGNER)
                .withUsages(List.of("digital signature", "client auth"))
                .withRequest(Base64.getEncoder().encodeToString(requestPem.getBytes(StandardCharsets.US_ASCII)))
                .endSpec().build();
        var csrs = bootstrapClient.certificates().v1().certificateSigningRequests();
        try {
            csrs.resource(csr).create();
        } catch (KubernetesClientException e) {
            throw refused(e);
        }
        System.err.println("kube4j agent: waiting for certificate signing request " + name + " (system:node:"
                + nodeName + ") to be approved and signed by the server's controller manager");
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            CertificateSigningRequest current;
            try {
                current = csrs.withName(name).get();
            } catch (KubernetesClientException e) {
                throw refused(e);
            }
            if (current == null) {
                throw new IllegalStateException("certificate signing request " + name + " was deleted before it "
                        + "was signed");
            }
            String problem = failure(current);
            if (problem != null) {
                throw new IllegalStateException("certificate signing request " + name + " " + problem);
            }
            if (current.getStatus() != null && current.getStatus().getCertificate() != null
                    && !current.getStatus().getCertificate().isEmpty()) {
                X509Certificate certificate = NodeCertificates.parse(current.getStatus().getCertificate()).get(0);
                if (!certificate.getPublicKey().equals(keys.getPublic())) {
                    throw new IllegalStateException("the certificate issued for " + name + " is not for this "
                            + "node's key");
                }
                System.err.println("kube4j agent: certificate signing request " + name + " approved and signed");
                return new CertifiedKey(certificate, keys.getPrivate());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("certificate signing request " + name + " was not signed within "
                        + timeout.toSeconds() + "s: is the server's controller manager running (csrapproving, "
                        + "csrsigning)? Approve it by hand with kubectl certificate approve " + name);
            }
            Thread.sleep(500);
        }
    }

    private static String failure(CertificateSigningRequest csr) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
            return null;
        }
        for (CertificateSigningRequestCondition c : csr.getStatus().getConditions()) {
            if (("Denied".equals(c.getType()) || "Failed".equals(c.getType()))
                    && !"False".equals(c.getStatus())) {
                return "was " + c.getType().toLowerCase(java.util.Locale.ROOT)
                        + (c.getMessage() == null ? "" : ": " + c.getMessage());
            }
        }
        return null;
    }

    /** One line for what the server said about the bootstrap token. */
    static RuntimeException refused(KubernetesClientException e) {
        if (e.getCode() == 401) {
            return new IllegalStateException("the server refused the join token (401 Unauthorized): it is wrong, "
                    + "expired or deleted; create a new one with kube4j token create on the server");
        }
        if (e.getCode() == 403) {
            return new IllegalStateException("the join token may not request node certificates (403 Forbidden): "
                    + "its Secret lacks usage-bootstrap-authentication or the system:bootstrappers group");
        }
        return new IllegalStateException("the server refused the certificate signing request: "
                + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage()));
    }

    static String request(String nodeName, KeyPair keys) {
        return NodeCertificates.request(nodeName, List.of(), List.of(), keys);
    }

    private static KeyPair loadOrCreateKey(Path keyFile) throws IOException {
        try {
            if (Files.exists(keyFile)) {
                PrivateKey key = Pem.parsePrivateKey(Files.readString(keyFile));
                Path publicFile = keyFile.resolveSibling(keyFile.getFileName() + ".pub");
                return new KeyPair(Pem.parsePublicKey(Files.readString(publicFile)), key);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Pem.write(keyFile.resolveSibling(keyFile.getFileName() + ".pub"), Pem.publicKey(pair.getPublic()), false);
            Pem.write(keyFile, Pem.privateKey(pair.getPrivate()), true);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the node's key: " + e.getMessage(), e);
        }
    }
}
