package io.kube4j.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Reading CertificateSigningRequests: their PKCS#10 request, subject, and approval state. */
public final class CertificateRequests {

    public static final String KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    public static final String API_SERVER_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
    public static final String KUBELET_SERVING_SIGNER = "kubernetes.io/kubelet-serving";
    public static final String NODE_PREFIX = "system:node:";
    public static final String NODES_GROUP = "system:nodes";
    static final Set<String> KUBELET_CLIENT_USAGES = Set.of("client auth", "digital signature", "key encipherment");
    static final Set<String> KUBELET_SERVING_USAGES = Set.of("server auth", "digital signature", "key encipherment");

    private CertificateRequests() {
    }

    /** The PKCS#10 request of spec.request (the PEM text), or null when it holds none. */
    public static PKCS10CertificationRequest parse(CertificateSigningRequest csr) {
        if (csr.getSpec() == null || csr.getSpec().getRequest() == null) {
            return null;
        }
        String pem = decodeIfBase64(csr.getSpec().getRequest());
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            return parsed instanceof PKCS10CertificationRequest request ? request : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** fabric8 models the []byte fields as strings that hold the base64 of the bytes on the wire. */
    static String decodeIfBase64(String value) {
        if (value.startsWith("-----BEGIN")) {
            return value;
        }
        try {
            return new String(Base64.getDecoder().decode(value.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    public static String commonName(X500Name subject) {
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    public static List<String> organizations(X500Name subject) {
        List<String> orgs = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(BCStyle.O)) {
            orgs.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return orgs;
    }

    /** Whether the request asks for subject alternative names (a client certificate has none). */
    public static boolean hasSubjectAltNames(PKCS10CertificationRequest request) {
        return subjectAltNames(request) != null;
    }

    /** Why the subject is not a kubelet's ({@code O=system:nodes, CN=system:node:<name>}), or null when it is. */
    private static String nodeSubjectProblem(X500Name subject) {
        if (!organizations(subject).equals(List.of(NODES_GROUP))) {
            return "subject organization is not system:nodes";
        }
        String cn = commonName(subject);
        if (!cn.startsWith(NODE_PREFIX) || cn.length() == NODE_PREFIX.length()) {
            return "subject common name does not begin with system:node:";
        }
        return null;
    }

    /**
     * Upstream's kubelet client shape: subject {@code O=system:nodes, CN=system:node:<name>}, no SANs, and usages
     * that include client auth and nothing beyond digital signature and key encipherment. Null if it fits,
     * otherwise why not.
     */
    public static String kubeletClientProblem(PKCS10CertificationRequest request, List<String> usages) {
        String subjectProblem = nodeSubjectProblem(request.getSubject());
        if (subjectProblem != null) {
            return subjectProblem;
        }
        if (hasSubjectAltNames(request)) {
            return "a kubelet client certificate has no subject alternative names";
        }
        List<String> u = usages == null ? List.of() : usages;
        if (!u.contains("client auth") || !KUBELET_CLIENT_USAGES.containsAll(u)) {
            return "usages must be client auth, optionally with digital signature and key encipherment";
        }
        return null;
    }

    /** The subject alternative names the request asks for, or null when it asks for none. */
    public static GeneralNames subjectAltNames(PKCS10CertificationRequest request) {
        var attributes = request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        for (var attribute : attributes) {
            for (var value : attribute.getAttrValues()) {
                GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value),
                        Extension.subjectAlternativeName);
                if (names != null) {
                    return names;
                }
            }
        }
        return null;
    }

    /**
     * Upstream's kubelet serving shape (ValidateKubeletServingCSR): subject {@code O=system:nodes,
     * CN=system:node:<name>}, at least one DNS or IP name and no e-mail or URI names, usages that include server auth
     * and nothing beyond digital signature and key encipherment. Null if it fits, otherwise why not.
     */
    public static String kubeletServingProblem(PKCS10CertificationRequest request, List<String> usages) {
        String subjectProblem = nodeSubjectProblem(request.getSubject());
        if (subjectProblem != null) {
            return subjectProblem;
        }
        GeneralNames names = subjectAltNames(request);
        if (names == null || names.getNames().length == 0) {
            return "DNS or IP subjectAltName is required";
        }
        for (var name : names.getNames()) {
            if (name.getTagNo() == org.bouncycastle.asn1.x509.GeneralName.rfc822Name) {
                return "Email subjectAltNames are not allowed";
            }
            if (name.getTagNo() == org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier) {
                return "URI subjectAltNames are not allowed";
            }
            if (name.getTagNo() != org.bouncycastle.asn1.x509.GeneralName.dNSName
                    && name.getTagNo() != org.bouncycastle.asn1.x509.GeneralName.iPAddress) {
                return "only DNS and IP subjectAltNames are allowed";
            }
        }
        List<String> u = usages == null ? List.of() : usages;
        if (!u.contains("server auth") || !KUBELET_SERVING_USAGES.containsAll(u)) {
            return "usages must be server auth, optionally with digital signature and key encipherment";
        }
        return null;
    }

    public static boolean hasCondition(CertificateSigningRequest csr, String type) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
            return false;
        }
        for (CertificateSigningRequestCondition c : csr.getStatus().getConditions()) {
            if (type.equals(c.getType()) && (c.getStatus() == null || "True".equals(c.getStatus()))) {
                return true;
            }
        }
        return false;
    }

    public static boolean isApproved(CertificateSigningRequest csr) {
        return hasCondition(csr, "Approved") && !hasCondition(csr, "Denied");
    }

    public static boolean isDecided(CertificateSigningRequest csr) {
        return hasCondition(csr, "Approved") || hasCondition(csr, "Denied");
    }

    public static boolean isIssued(CertificateSigningRequest csr) {
        return csr.getStatus() != null && csr.getStatus().getCertificate() != null
                && !csr.getStatus().getCertificate().isEmpty();
    }
}
