package io.kube4j.apiserver.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Signs certificates with the cluster CA key. */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Backdating tolerates clocks of other nodes that run slightly behind, as upstream's cert helpers do. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final CertifiedKey ca;

    public CertificateAuthority(CertifiedKey ca) {
        this.ca = ca;
    }

    public CertifiedKey ca() {
        return ca;
    }

    /** A self-signed CA certificate for {@code keyPair}. */
    public static CertifiedKey selfSigned(String commonName, KeyPair keyPair, Instant now, Duration validity) {
        X500Name subject = name(commonName, List.of());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            return new CertifiedKey(sign(builder, new CertifiedKey(null, keyPair.getPrivate())), keyPair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
    }

    /** A TLS server certificate with the given DNS and IP subject alternative names. */
    public X509Certificate issueServing(String commonName, List<String> sans, PublicKey key, Instant now,
                                        Duration validity) {
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            names.add(isIpAddress(san) ? new GeneralName(GeneralName.iPAddress, san)
                    : new GeneralName(GeneralName.dNSName, san));
        }
        return issue(name(commonName, List.of()), key, now, validity, KeyPurposeId.id_kp_serverAuth,
                names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /** A TLS client certificate: CN is the user, each O a group, as the x509 authenticator reads them. */
    public X509Certificate issueClient(String commonName, List<String> organizations, PublicKey key, Instant now,
                                       Duration validity) {
        return issue(name(commonName, organizations), key, now, validity, KeyPurposeId.id_kp_clientAuth, null);
    }

    private X509Certificate issue(X500Name subject, PublicKey key, Instant now, Duration validity,
                                  KeyPurposeId purpose, GeneralNames sans) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return sign(builder, ca);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, CertifiedKey signer)
            throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithm(signer.key()))
                    .build(signer.key());
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** The subject a client certificate for this user and these groups carries. */
    public static javax.security.auth.x500.X500Principal subject(String commonName, List<String> organizations) {
        try {
            return new javax.security.auth.x500.X500Principal(name(commonName, organizations).getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (String organization : organizations) {
            builder.addRDN(BCStyle.O, organization);
        }
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    static boolean isIpAddress(String text) {
        if (text.isEmpty()) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The canonical text of an IP address, so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
    static String canonicalIp(String text) {
        try {
            return InetAddress.getByName(text).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return text;
        }
    }
}
