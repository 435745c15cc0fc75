package io.kube4j.kubelet.server;

import io.kube4j.api.certificates.PemBlocks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The kubelet server's TLS material: its serving certificate chain and key, and the CA whose client certificates
 * it accepts (the cluster CA).
 */
public record ServingTls(List<X509Certificate> chain, PrivateKey key, X509Certificate clientCa) {

    public ServingTls {
        if (chain == null || chain.isEmpty() || key == null || clientCa == null) {
            throw new IllegalArgumentException("a serving certificate, its key and a client CA are required");
        }
        chain = List.copyOf(chain);
    }

    /** Reads PEM files: the certificate (chain), its PKCS#8 key, the client CA. */
    public static ServingTls fromPem(Path certificate, Path key, Path clientCa) throws IOException {
        List<X509Certificate> chain = certificates(certificate);
        List<X509Certificate> cas = certificates(clientCa);
        if (chain.isEmpty() || cas.isEmpty()) {
            throw new IOException("no certificate in " + (chain.isEmpty() ? certificate : clientCa));
        }
        return new ServingTls(chain, privateKey(key), cas.get(0));
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        try {
            return PemBlocks.certificates(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        try {
            return PemBlocks.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
    }
}
