package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.registry.strategies.CertificateSigningRequestStrategy;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Upstream's CertificateSubjectRestriction plugin: a new CertificateSigningRequest for the
 * {@code kubernetes.io/kube-apiserver-client} signer may not ask for the {@code system:masters} group
 * ({@code O=system:masters}), since a certificate in that group bypasses authorization altogether.
 */
public final class CertificateSubjectRestrictionAdmission implements ValidatingAdmission {

    static final String API_SERVER_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
    private static final String MASTERS = "system:masters";

    @Override
    public String name() {
        return "CertificateSubjectRestriction";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !SignerAuthorization.GROUP.equals(request.group())
                || !SignerAuthorization.CSRS.equals(request.resource()) || !request.subresource().isEmpty()
                || request.object() == null) {
            return;
        }
        String signerName = request.object().path("spec").path("signerName").asString("");
        if (!API_SERVER_CLIENT_SIGNER.equals(signerName)) {
            return;
        }
        PKCS10CertificationRequest csr = CertificateSigningRequestStrategy.parseRequest(
                request.object().path("spec").path("request").asString(""));
        if (csr == null) {
            // not a request at all: validation refuses it with a field error of its own
            return;
        }
        // every O attribute counts, also one inside a multi-valued RDN
        for (RDN rdn : csr.getSubject().getRDNs(BCStyle.O)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.O.equals(attribute.getType())
                        && MASTERS.equals(IETFUtils.valueToString(attribute.getValue()))) {
                    throw AdmissionErrors.forbidden(request, "use of " + signerName + " signer with " + MASTERS
                            + " group is not allowed");
                }
            }
        }
    }
}
