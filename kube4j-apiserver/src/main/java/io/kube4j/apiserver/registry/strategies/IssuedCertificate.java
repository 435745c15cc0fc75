package io.kube4j.apiserver.registry.strategies;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check upstream's CSR validation makes of status.certificate (validateCertificate): empty, or one or more PEM
 * blocks, each of type CERTIFICATE, without headers, holding at least one DER certificate that parses. Text around
 * and between the blocks is ignored, as Go's pem.Decode skips it.
 */
final class IssuedCertificate {

    /** A PEM block as pem.Decode finds one: its type, then its body (headers, if any, and base64) up to its end. */
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([^\\r\\n-]*)-----[ \\t]*\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    private IssuedCertificate() {
    }

    /**
     * Why {@code base64Pem} (status.certificate as it is on the wire, base64 of the PEM bytes) is not a certificate
     * chain, in upstream's words; null when it is one or is empty.
     */
    static String problem(String base64Pem) {
        if (base64Pem.isEmpty()) {
            return null;
        }
        String pem;
        try {
            pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            // upstream cannot decode such a body at all; here the write is refused on the field instead
            return "illegal base64 data: " + e.getMessage();
        }
        int blocks = 0;
        Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            // header lines ("Proc-Type: 4,ENCRYPTED") hold a colon, which base64 never does
            boolean headers = false;
            StringBuilder base64 = new StringBuilder();
            for (String line : block.group(2).split("\\r?\\n")) {
                if (line.indexOf(':') >= 0) {
                    headers = true;
                } else {
                    base64.append(line.strip());
                }
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                continue; // not a block to pem.Decode either: it looks further on
            }
            if (!block.group(1).equals("CERTIFICATE")) {
                return "only CERTIFICATE PEM blocks are allowed, found \"" + block.group(1) + "\"";
            }
            if (headers) {
                return "no PEM block headers are permitted";
            }
            blocks++;
            try {
                if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der))
                        .isEmpty()) {
                    return "found CERTIFICATE PEM block containing 0 certificates";
                }
            } catch (CertificateException e) {
                return "x509: malformed certificate: " + e.getMessage();
            }
        }
        return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
    }
}
