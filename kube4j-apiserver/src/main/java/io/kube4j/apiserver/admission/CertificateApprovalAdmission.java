package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authz.Authorizer;

/**
 * Upstream's CertificateApproval plugin: approving or denying a CertificateSigningRequest (an update of its
 * {@code approval} subresource) needs the {@code approve} verb on the request's signer, so that permission to
 * update approvals alone cannot mint certificates for any signer.
 */
public final class CertificateApprovalAdmission implements ValidatingAdmission {

    private final SignerAuthorization signers;

    public CertificateApprovalAdmission(Authorizer authorizer) {
        this.signers = new SignerAuthorization(authorizer);
    }

    @Override
    public String name() {
        return "CertificateApproval";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.operation() != Operation.UPDATE || !SignerAuthorization.GROUP.equals(request.group())
                || !SignerAuthorization.CSRS.equals(request.resource()) || !"approval".equals(request.subresource())
                || request.object() == null) {
            return;
        }
        String signerName = request.object().path("spec").path("signerName").asString("");
        if (!signers.allowed(request.user(), "approve", signerName)) {
            throw AdmissionErrors.forbidden(request,
                    "user not permitted to approve requests with signerName \"" + signerName + "\"");
        }
    }
}
