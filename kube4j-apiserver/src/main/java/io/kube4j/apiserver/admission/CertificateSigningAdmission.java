package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authz.Authorizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's CertificateSigning plugin: a write through a CertificateSigningRequest's {@code status} that changes
 * {@code status.certificate} or {@code status.conditions} (issuing, or failing, a certificate) needs the
 * {@code sign} verb on the signer the request was made for.
 */
public final class CertificateSigningAdmission implements ValidatingAdmission {

    private final SignerAuthorization signers;

    public CertificateSigningAdmission(Authorizer authorizer) {
        this.signers = new SignerAuthorization(authorizer);
    }

    @Override
    public String name() {
        return "CertificateSigning";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.operation() != Operation.UPDATE || !SignerAuthorization.GROUP.equals(request.group())
                || !SignerAuthorization.CSRS.equals(request.resource()) || !"status".equals(request.subresource())
                || request.object() == null || request.oldObject() == null) {
            return;
        }
        ObjectNode old = request.oldObject();
        ObjectNode updated = request.object();
        if (same(old, updated, "certificate") && same(old, updated, "conditions")) {
            return;
        }
        // the signer is the stored one: spec is immutable, and the old object is what was asked for
        String signerName = old.path("spec").path("signerName").asString("");
        if (!signers.allowed(request.user(), "sign", signerName)) {
            throw AdmissionErrors.forbidden(request,
                    "user not permitted to sign requests with signerName \"" + signerName + "\"");
        }
    }

    private static boolean same(ObjectNode old, ObjectNode updated, String field) {
        JsonNode before = old.path("status").path(field);
        JsonNode after = updated.path("status").path(field);
        return before.equals(after) || isEmpty(before) && isEmpty(after);
    }

    /** Absent, null, "" and [] all mean "not set", as Go's zero values compare. */
    private static boolean isEmpty(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.isString() && node.asString().isEmpty()
                || node.isArray() && node.isEmpty();
    }
}
