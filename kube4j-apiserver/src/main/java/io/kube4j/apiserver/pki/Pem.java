package io.kube4j.apiserver.pki;

import io.kube4j.api.certificates.PemBlocks;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * PEM encoding of certificates and keys (PKCS#8 private keys, X.509 SubjectPublicKeyInfo public keys), and reading them
 * back: blocks and certificates with the JDK ({@link PemBlocks}, as a worker reads them), keys with Bouncy Castle,
 * which also reads the traditional PKCS#1 and SEC1 keys an operator may bring.
 */
public final class Pem {

    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return PemBlocks.encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String privateKey(PrivateKey key) {
        return PemBlocks.encode("PRIVATE KEY", key.getEncoded());
    }

    public static String publicKey(PublicKey key) {
        return PemBlocks.encode("PUBLIC KEY", key.getEncoded());
    }

    public static List<X509Certificate> parseCertificates(String pem) throws IOException {
        try {
            return PemBlocks.certificates(pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid certificate: " + e.getMessage(), e);
        }
    }

    /** Reads a PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private key. */
    public static PrivateKey parsePrivateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((item = parser.readObject()) != null) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        }
        throw new IOException("no private key in PEM data");
    }

    public static PublicKey parsePublicKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((item = parser.readObject()) != null) {
                if (item instanceof SubjectPublicKeyInfo info) {
                    return converter.getPublicKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPublic();
                }
            }
        }
        throw new IOException("no public key in PEM data");
    }

    /** Writes atomically; {@code secret} files are readable by the owner only (0600). */
    public static void write(Path file, String text, boolean secret) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // non-POSIX file systems keep their defaults
                }
            } else {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException notPosix) {
                    // non-POSIX file systems keep their defaults
                }
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
