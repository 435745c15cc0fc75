package io.kube4j.kubelet.certificate;

import io.kube4j.api.certificates.PemBlocks;
import io.kube4j.kubelet.server.ServingTls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code kubelet-server-current.pem}, as upstream's kubelet keeps it: the certificate chain and its PKCS#8 key in one
 * PEM file, readable by root only, replaced atomically so that a crash never leaves half of one.
 */
final class ServingCertificateFile {
    static final String NAME = "kubelet-server-current.pem";

    private ServingCertificateFile() {
    }

    /** The stored certificate and key, or null when there is none or it cannot be read. */
    static ServingTls read(Path dir, X509Certificate clientCa) {
        Path file = dir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            List<X509Certificate> chain = PemBlocks.certificates(pem);
            return chain.isEmpty() ? null : new ServingTls(chain, PemBlocks.privateKey(pem), clientCa);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    static void write(Path dir, List<X509Certificate> chain, PrivateKey key) throws IOException {
        Files.createDirectories(dir);
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                pem.append(PemBlocks.encode("CERTIFICATE", c.getEncoded()));
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode the serving certificate: " + e.getMessage(), e);
        }
        pem.append(PemBlocks.encode("PRIVATE KEY", key.getEncoded()));
        Path tmp = Files.createTempFile(dir, NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

}
