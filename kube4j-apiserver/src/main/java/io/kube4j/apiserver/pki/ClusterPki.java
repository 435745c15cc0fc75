package io.kube4j.apiserver.pki;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The cluster's certificates and keys, kept as PEM files in one directory: a CA, the API server's serving
 * certificate, client certificates for the admin and each component, kubelet client certificates on demand,
 * and the service-account signing key pair. Files are reused across restarts; a leaf certificate within
 * {@link #RENEW_BEFORE} of its expiry, signed by another CA, or (serving) missing a wanted SAN is reissued with
 * its existing key when loaded.
 */
public final class ClusterPki {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPki.class);

    public static final Duration RENEW_BEFORE = Duration.ofDays(90);
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    public static final String CA_COMMON_NAME = "kube4j-ca";

    public static final String ADMIN = "admin";
    public static final String SCHEDULER = "kube-scheduler";
    public static final String CONTROLLER_MANAGER = "kube-controller-manager";
    public static final String KUBE_PROXY = "kube-proxy";
    public static final String SERVING = "serving-kube-apiserver";
    /** The API server's client certificate towards kubelets, named as k3s names it. */
    public static final String KUBELET_CLIENT = "kube-apiserver-kubelet-client";

    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final Path dir;
    private final PkiOptions options;
    private final CertificateAuthority authority;
    private final CertifiedKey serving;
    private final KeyPair serviceAccountKey;

    private ClusterPki(Path dir, PkiOptions options, CertificateAuthority authority, CertifiedKey serving,
                       KeyPair serviceAccountKey) {
        this.dir = dir;
        this.options = options;
        this.authority = authority;
        this.serving = serving;
        this.serviceAccountKey = serviceAccountKey;
    }

    /** Loads the PKI under {@code dir}, creating what is missing and renewing what is due. */
    public static synchronized ClusterPki loadOrCreate(Path dir, PkiOptions options) throws IOException {
        Files.createDirectories(dir);
        CertificateAuthority authority = new CertificateAuthority(loadOrCreateCa(dir, options));
        List<String> sans = servingSans(options);
        CertifiedKey serving = loadOrIssue(dir, SERVING, authority, options,
                (ca, key, now) -> ca.issueServing("kube-apiserver", sans, key, now, LEAF_VALIDITY),
                cert -> subjectAltNames(cert).containsAll(canonical(sans)));
        KeyPair saKey = loadOrCreateServiceAccountKey(dir);
        ClusterPki pki = new ClusterPki(dir, options, authority, serving, saKey);
        pki.client(ADMIN, "system:admin", List.of("system:masters"));
        pki.client(SCHEDULER, "system:kube-scheduler", List.of());
        pki.client(CONTROLLER_MANAGER, "system:kube-controller-manager", List.of());
        pki.client(KUBE_PROXY, "system:kube-proxy", List.of());
        return pki;
    }

    public Path dir() {
        return dir;
    }

    public X509Certificate caCertificate() {
        return authority.ca().certificate();
    }

    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    public CertificateAuthority authority() {
        return authority;
    }

    public CertifiedKey serving() {
        return serving;
    }

    public CertifiedKey admin() {
        return client(ADMIN, "system:admin", List.of("system:masters"));
    }

    public CertifiedKey scheduler() {
        return client(SCHEDULER, "system:kube-scheduler", List.of());
    }

    public CertifiedKey controllerManager() {
        return client(CONTROLLER_MANAGER, "system:kube-controller-manager", List.of());
    }

    public CertifiedKey kubeProxy() {
        return client(KUBE_PROXY, "system:kube-proxy", List.of());
    }

    /** The client certificate of the kubelet of {@code nodeName} ({@code CN=system:node:<name>, O=system:nodes}). */
    public CertifiedKey kubelet(String nodeName) {
        if (!NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("invalid node name: " + nodeName);
        }
        return client("kubelet-" + nodeName, "system:node:" + nodeName, List.of("system:nodes"));
    }

    /**
     * The API server's client certificate for kubelet servers ({@code CN=kube-apiserver-kubelet-client,
     * O=system:masters}): kubelets authenticate it against the cluster CA and authorize it with a
     * SubjectAccessReview, which its group always passes.
     */
    public CertifiedKey kubeletApiClient() {
        return client(KUBELET_CLIENT, KUBELET_CLIENT, List.of("system:masters"));
    }

    /**
     * The serving certificate of the kubelet server of {@code nodeName}, stored as
     * {@code serving-kubelet-<name>.crt/.key}: SANs are the node name, its addresses, 127.0.0.1 and localhost
     * ({@code CN=system:node:<name>}, as a kubelet's CSR-issued serving certificate is).
     */
    public synchronized CertifiedKey kubeletServing(String nodeName, List<String> addresses) {
        if (!NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("invalid node name: " + nodeName);
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(nodeName);
        names.addAll(addresses);
        names.add("127.0.0.1");
        names.add("localhost");
        names.removeIf(String::isBlank);
        List<String> sans = new ArrayList<>(names);
        try {
            return loadOrIssue(dir, "serving-kubelet-" + nodeName, authority, options,
                    (ca, key, now) -> ca.issueServing("system:node:" + nodeName, sans, key, now, LEAF_VALIDITY),
                    cert -> subjectAltNames(cert).containsAll(canonical(sans)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service-account token signing key pair ({@code sa.key}, {@code sa.pub}). */
    public KeyPair serviceAccountKey() {
        return serviceAccountKey;
    }

    /** A client certificate stored as {@code <file>.crt/.key}, created or renewed as needed. */
    public synchronized CertifiedKey client(String file, String commonName, List<String> organizations) {
        try {
            return loadOrIssue(dir, file, authority, options,
                    (ca, key, now) -> ca.issueClient(commonName, organizations, key, now, LEAF_VALIDITY),
                    cert -> cert.getSubjectX500Principal().equals(
                            CertificateAuthority.subject(commonName, organizations)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Issuer {
        X509Certificate issue(CertificateAuthority ca, PublicKey key, Instant now);
    }

    @FunctionalInterface
    private interface StillFits {
        boolean test(X509Certificate certificate);
    }

    private static CertifiedKey loadOrIssue(Path dir, String name, CertificateAuthority authority, PkiOptions options,
                                            Issuer issuer, StillFits fits) throws IOException {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Instant now = options.clock().instant();
        PrivateKey key = null;
        PublicKey publicKey = null;
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.UTF_8));
            List<X509Certificate> existing = Pem.parseCertificates(Files.readString(certFile, StandardCharsets.UTF_8));
            if (!existing.isEmpty()) {
                X509Certificate cert = existing.get(0);
                publicKey = cert.getPublicKey();
                String why = whyReissue(cert, authority, now, fits);
                if (why == null) {
                    return new CertifiedKey(cert, key);
                }
                LOG.info("reissuing certificate {}: {}", certFile, why);
            }
        }
        if (key == null || publicKey == null) {
            KeyPair pair = options.keyAlgorithm().generate();
            key = pair.getPrivate();
            publicKey = pair.getPublic();
            Pem.write(keyFile, Pem.privateKey(key), true);
        }
        X509Certificate cert = issuer.issue(authority, publicKey, now);
        Pem.write(certFile, Pem.certificate(cert), false);
        return new CertifiedKey(cert, key);
    }

    private static String whyReissue(X509Certificate cert, CertificateAuthority authority, Instant now,
                                     StillFits fits) {
        if (cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "it expires at " + cert.getNotAfter().toInstant();
        }
        try {
            cert.verify(authority.ca().certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return "it is not signed by the cluster CA";
        }
        if (!fits.test(cert)) {
            return "its subject or names changed";
        }
        return null;
    }

    private static CertifiedKey loadOrCreateCa(Path dir, PkiOptions options) throws IOException {
        Path certFile = dir.resolve("ca.crt");
        Path keyFile = dir.resolve("ca.key");
        Instant now = options.clock().instant();
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            PrivateKey key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.UTF_8));
            X509Certificate cert = Pem.parseCertificates(Files.readString(certFile, StandardCharsets.UTF_8)).get(0);
            if (!cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
                return new CertifiedKey(cert, key);
            }
            // Same key and subject: certificates signed by the old CA certificate still verify against the new one,
            // and clients holding the old CA certificate keep trusting leaves until it expires.
            LOG.warn("the cluster CA certificate {} expires at {}; renewing it with the same key. Clients that pinned "
                    + "the old CA certificate must fetch {} again", certFile, cert.getNotAfter().toInstant(), certFile);
            KeyPair pair = new KeyPair(cert.getPublicKey(), key);
            CertifiedKey renewed = CertificateAuthority.selfSigned(CA_COMMON_NAME, pair, now, CA_VALIDITY);
            Pem.write(certFile, Pem.certificate(renewed.certificate()), false);
            return renewed;
        }
        KeyPair pair = options.keyAlgorithm().generate();
        CertifiedKey ca = CertificateAuthority.selfSigned(CA_COMMON_NAME, pair, now, CA_VALIDITY);
        Pem.write(keyFile, Pem.privateKey(pair.getPrivate()), true);
        Pem.write(certFile, Pem.certificate(ca.certificate()), false);
        return ca;
    }

    private static KeyPair loadOrCreateServiceAccountKey(Path dir) throws IOException {
        Path keyFile = dir.resolve("sa.key");
        Path pubFile = dir.resolve("sa.pub");
        if (Files.exists(keyFile) && Files.exists(pubFile)) {
            return new KeyPair(Pem.parsePublicKey(Files.readString(pubFile, StandardCharsets.UTF_8)),
                    Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.UTF_8)));
        }
        // RSA: the upstream default for service-account keys, accepted by every OIDC consumer.
        KeyPair pair = KeyAlgorithm.RSA_2048.generate();
        Pem.write(keyFile, Pem.privateKey(pair.getPrivate()), true);
        Pem.write(pubFile, Pem.publicKey(pair.getPublic()), false);
        return pair;
    }

    /** Every name the serving certificate must carry, in a stable order. */
    public static List<String> servingSans(PkiOptions options) {
        Set<String> sans = new LinkedHashSet<>();
        sans.add("127.0.0.1");
        sans.add("::1");
        sans.add("localhost");
        sans.add("kubernetes");
        sans.add("kubernetes.default");
        sans.add("kubernetes.default.svc");
        sans.add("kubernetes.default.svc." + options.clusterDomain());
        sans.add(options.serviceClusterIp());
        sans.addAll(options.nodeAddresses());
        sans.addAll(options.tlsSans());
        sans.removeIf(String::isBlank);
        return new ArrayList<>(sans);
    }

    private static Set<String> canonical(Collection<String> names) {
        Set<String> result = new TreeSet<>();
        for (String name : names) {
            result.add(CertificateAuthority.isIpAddress(name) ? CertificateAuthority.canonicalIp(name)
                    : name.toLowerCase(java.util.Locale.ROOT));
        }
        return result;
    }

    /** The DNS names and IP addresses of a certificate, canonicalised. */
    public static Set<String> subjectAltNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    if (type == 2 || type == 7) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return canonical(names);
    }
}
