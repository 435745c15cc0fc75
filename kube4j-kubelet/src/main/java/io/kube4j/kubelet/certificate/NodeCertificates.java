package io.kube4j.kubelet.certificate;

import io.kube4j.api.certificates.PemBlocks;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A node's certificates with the JDK alone: the PKCS#10 request for {@code O=system:nodes, CN=system:node:NAME} (the
 * agent's client certificate at join, the kubelet's serving certificate with its names), reading what the signer
 * issued (its PEM through {@link PemBlocks}, as the node's PKCS#8 keys). Bouncy Castle did both before; its ~200
 * classes, loaded once for a request, stayed in the agent's JVM for its whole life. The request is DER written here
 * (RFC 2986; the names as Bouncy Castle's builders encoded them).
 */
public final class NodeCertificates {
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";

    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OID = 0x06;
    private static final int UTF8_STRING = 0x0c;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int ATTRIBUTES = 0xa0; // [0] IMPLICIT SET OF Attribute
    private static final int DNS_NAME = 0x82; // GeneralName [2] IMPLICIT IA5String
    private static final int IP_ADDRESS = 0x87; // GeneralName [7] IMPLICIT OCTET STRING

    private NodeCertificates() {
    }

    /**
     * The PKCS#10 request in PEM for node {@code nodeName}, signed with {@code keys} (EC: SHA256withECDSA, RSA:
     * SHA256withRSA); {@code dnsNames} and {@code ips} (IP literals) become a subjectAltName extension request, none
     * when both are empty.
     */
    public static String request(String nodeName, List<String> dnsNames, List<String> ips, KeyPair keys) {
        byte[] subject = der(SEQUENCE, rdn(ORGANIZATION, "system:nodes"), rdn(COMMON_NAME, "system:node:" + nodeName));
        byte[] attributes = dnsNames.isEmpty() && ips.isEmpty() ? der(ATTRIBUTES)
                : der(ATTRIBUTES, der(SEQUENCE, oid(EXTENSION_REQUEST),
                        der(SET, der(SEQUENCE, der(SEQUENCE, oid(SUBJECT_ALT_NAME),
                                der(OCTET_STRING, subjectAltNames(dnsNames, ips)))))));
        byte[] info = der(SEQUENCE, der(INTEGER, new byte[] {0}), subject, keys.getPublic().getEncoded(), attributes);
        boolean rsa = keys.getPrivate().getAlgorithm().equals("RSA");
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(info);
            signature = signer.sign(); // ECDSA: already the DER SEQUENCE {r, s} X.509 wants
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate signing request: " + e.getMessage(), e);
        }
        // RSA's algorithm identifier carries NULL parameters, ECDSA's none (RFC 4055, RFC 5758)
        byte[] algorithm = rsa ? der(SEQUENCE, oid(SHA256_WITH_RSA), der(NULL)) : der(SEQUENCE, oid(ECDSA_WITH_SHA256));
        byte[] bits = new byte[signature.length + 1]; // leading byte: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return PemBlocks.encode("CERTIFICATE REQUEST", der(SEQUENCE, info, algorithm, der(BIT_STRING, bits)));
    }

    /** Certificates in PEM, or that PEM base64-encoded as fabric8 carries a CSR's []byte status.certificate. */
    public static List<X509Certificate> parse(String pemOrBase64) {
        String text = pemOrBase64.strip();
        String pem = text.startsWith("-----BEGIN") ? text : new String(Base64.getDecoder().decode(text), StandardCharsets.US_ASCII);
        try {
            return PemBlocks.certificates(pem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the certificate cannot be read: " + e.getMessage(), e);
        }
    }


    private static byte[] subjectAltNames(List<String> dnsNames, List<String> ips) {
        List<byte[]> names = new ArrayList<>();
        dnsNames.forEach(d -> names.add(der(DNS_NAME, d.getBytes(StandardCharsets.US_ASCII))));
        for (String ip : ips) {
            if (!ip.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an IP address: " + ip); // never a DNS look-up
            }
            try {
                names.add(der(IP_ADDRESS, InetAddress.getByName(ip).getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + ip, e);
            }
        }
        return der(SEQUENCE, names.toArray(byte[][]::new));
    }

    /** One relative distinguished name with one attribute, a UTF8String as Bouncy Castle's BCStyle encodes O and CN. */
    private static byte[] rdn(String type, String value) {
        return der(SET, der(SEQUENCE, oid(type), der(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return der(OID, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = 1;
        while (value >>> (7 * groups) != 0) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) (value >>> (7 * g)) & 0x7f;
            out.write(g == 0 ? b : b | 0x80);
        }
    }

    /** A DER element: tag, definite length, then the contents (the given parts, concatenated). */
    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
