package io.kube4j.controllers.certificates.signer;

import io.kube4j.api.certificates.PemBlocks;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The cluster CA as the CSR signer uses it (upstream's --cluster-signing-cert-file/--cluster-signing-key-file):
 * issues leaf certificates for a subject and public key taken from a request, never longer than the CA lives.
 */
public final class SigningAuthority {

    /** Upstream backdates certificates so that a node whose clock is a little behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final X509CertificateHolder ca;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();

    private SigningAuthority(X509CertificateHolder ca, PrivateKey key) {
        this.ca = ca;
        this.key = key;
    }

    /** Reads the CA certificate and its private key (PKCS#8, or a traditional RSA/EC key) from PEM text. */
    public static SigningAuthority fromPem(String certificatePem, String keyPem) {
        try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
             PEMParser keys = new PEMParser(new StringReader(keyPem))) {
            Object cert = certs.readObject();
            if (!(cert instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("the cluster signing certificate holds no PEM CERTIFICATE");
            }
            Object parsed = keys.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key;
            if (parsed instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else if (parsed instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("the cluster signing key holds no PEM private key");
            }
            return new SigningAuthority(holder, key);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the cluster signing certificate or key: " + e.getMessage(),
                    e);
        }
    }

    /** Issues a certificate (PEM) for {@code subject} and {@code publicKey} with the CSR's {@code usages}. */
    public String issue(X500Name subject, SubjectPublicKeyInfo publicKey, List<String> usages, Instant now,
                        Duration validity) {
        return issue(subject, publicKey, usages, now, validity, null);
    }

    /** As above, with the subject alternative names {@code names} (a serving certificate's); null for none. */
    public String issue(X500Name subject, SubjectPublicKeyInfo publicKey, List<String> usages, Instant now,
                        Duration validity, org.bouncycastle.asn1.x509.GeneralNames names) {
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(validity);
        Instant caNotAfter = ca.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(ca.getSubject(),
                    new BigInteger(127, random).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
                    subject, publicKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int keyUsage = keyUsage(usages);
            if (keyUsage != 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            List<KeyPurposeId> purposes = extendedKeyUsage(usages);
            if (!purposes.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            }
            if (names != null && names.getNames().length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo()));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(publicKey));
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509CertificateHolder issued = builder.build(new JcaContentSignerBuilder(algorithm).build(key));
            return PemBlocks.encode("CERTIFICATE", issued.getEncoded());
        } catch (IOException | OperatorCreationException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    public Instant notAfter() {
        return ca.getNotAfter().toInstant();
    }

    private static int keyUsage(List<String> usages) {
        int bits = 0;
        for (String usage : usages) {
            bits |= switch (usage) {
                case "digital signature" -> KeyUsage.digitalSignature;
                case "content commitment" -> KeyUsage.nonRepudiation;
                case "key encipherment" -> KeyUsage.keyEncipherment;
                case "key agreement" -> KeyUsage.keyAgreement;
                case "data encipherment" -> KeyUsage.dataEncipherment;
                case "cert sign" -> KeyUsage.keyCertSign;
                case "crl sign" -> KeyUsage.cRLSign;
                case "encipher only" -> KeyUsage.encipherOnly;
                case "decipher only" -> KeyUsage.decipherOnly;
                default -> 0;
            };
        }
        return bits;
    }

    private static List<KeyPurposeId> extendedKeyUsage(List<String> usages) {
        List<KeyPurposeId> purposes = new ArrayList<>();
        for (String usage : usages) {
            switch (usage) {
                case "client auth" -> purposes.add(KeyPurposeId.id_kp_clientAuth);
                case "server auth" -> purposes.add(KeyPurposeId.id_kp_serverAuth);
                case "code signing" -> purposes.add(KeyPurposeId.id_kp_codeSigning);
                case "email protection", "s/mime" -> purposes.add(KeyPurposeId.id_kp_emailProtection);
                case "timestamping" -> purposes.add(KeyPurposeId.id_kp_timeStamping);
                case "ocsp signing" -> purposes.add(KeyPurposeId.id_kp_OCSPSigning);
                default -> { }
            }
        }
        return purposes;
    }

}
