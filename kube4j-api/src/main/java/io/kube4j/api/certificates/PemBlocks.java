package io.kube4j.api.certificates;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text with the JDK alone: a block written, the certificates and the PKCS#8 private key read from text that may
 * hold both (as the kubelet's {@code kubelet-server-current.pem}). A worker reads its certificates and keys with this,
 * so its JVM never loads Bouncy Castle (some 200 classes it would keep); the API server and the signer, which also
 * read traditional RSA/EC keys, use Bouncy Castle for that.
 */
public final class PemBlocks {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String PRIVATE_KEY = "PRIVATE KEY";

    private PemBlocks() {
    }

    /** One block of {@code type} ("CERTIFICATE", "PRIVATE KEY", ...), base64 in lines of 64 as openssl writes. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Every CERTIFICATE block in {@code pem}, in order; none when there is none. */
    public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(m))));
            }
        }
        return certificates;
    }

    /**
     * The first PKCS#8 "PRIVATE KEY" block in {@code pem}: EC or RSA (what kube4j and openssl write), or Ed25519.
     * A traditional "RSA PRIVATE KEY" or "EC PRIVATE KEY" is refused: {@code openssl pkcs8 -topk8 -nocrypt}
     * converts it.
     */
    public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(PRIVATE_KEY)) {
                return pkcs8(der(m));
            }
        }
        throw new GeneralSecurityException("no PKCS#8 \"PRIVATE KEY\" block");
    }

    private static byte[] der(Matcher block) throws GeneralSecurityException {
        try {
            return Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the " + block.group(1) + " block is not base64: " + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // PKCS#8 names its algorithm inside; the JDK wants it told
            }
        }
        throw new GeneralSecurityException("unsupported private key");
    }
}
