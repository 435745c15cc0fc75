package io.kube4j.apiserver.authn;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Client certificates: CN is the user name, each O a group. The TLS layer already verified the chain against
 * the cluster CA; this checks again that the leaf is signed by one of {@code trustedCas}, within its validity and
 * meant for client authentication, so a misconfigured transport cannot let a foreign certificate through.
 */
public final class X509Authenticator implements Authenticator {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";

    private final List<X509Certificate> trustedCas;
    private final Clock clock;

    public X509Authenticator(List<X509Certificate> trustedCas, Clock clock) {
        this.trustedCas = List.copyOf(trustedCas);
        this.clock = clock;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        if (request.clientCertificates().isEmpty()) {
            return AuthenticationResult.notApplicable();
        }
        X509Certificate leaf = request.clientCertificates().get(0);
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (GeneralSecurityException e) {
            return AuthenticationResult.failed("x509: certificate has expired or is not yet valid");
        }
        if (!signedByTrustedCa(leaf)) {
            return AuthenticationResult.failed("x509: certificate signed by unknown authority");
        }
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
                return AuthenticationResult.failed("x509: certificate specifies an incompatible key usage");
            }
        } catch (CertificateParsingException e) {
            return AuthenticationResult.failed("x509: malformed certificate");
        }
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        List<String> commonNames = values(subject, BCStyle.CN);
        if (commonNames.isEmpty() || commonNames.get(0).isEmpty()) {
            return AuthenticationResult.failed("x509: certificate has no common name");
        }
        return AuthenticationResult.authenticated(
                new UserInfo(commonNames.get(0), "", values(subject, BCStyle.O), Map.of()));
    }

    private boolean signedByTrustedCa(X509Certificate leaf) {
        for (X509Certificate ca : trustedCas) {
            if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                continue;
            }
            try {
                leaf.verify(ca.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // try the next CA
            }
        }
        return false;
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(type)) {
            values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return values;
    }
}
