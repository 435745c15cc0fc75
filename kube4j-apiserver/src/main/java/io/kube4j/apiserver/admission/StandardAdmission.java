package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.admission.webhook.WebhookAdmission;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authz.Authorizer;

import java.util.List;

/** The admission chain kube4j runs, in upstream's recommended plugin order. */
public final class StandardAdmission {

    private StandardAdmission() {
    }

    /**
     * The chain with admission webhooks in upstream's places: MutatingAdmissionWebhook after the built-in
     * mutating plugins, ValidatingAdmissionWebhook just before ResourceQuota. {@code authorizer} answers the
     * certificate plugins' questions (may this user approve or sign for a signer).
     */
    public static AdmissionChain chain(ObjectLookup lookup, QuotaStatusWriter quotaWriter, Authorizer authorizer) {
        LimitRangerAdmission limitRanger = new LimitRangerAdmission(lookup);
        RuntimeClassAdmission runtimeClass = new RuntimeClassAdmission(lookup);
        return new AdmissionChain(
                List.of(limitRanger, new ServiceAccountAdmission(lookup), new PriorityAdmission(lookup),
                        new DefaultTolerationSecondsAdmission(), new DefaultStorageClassAdmission(lookup),
                        new StorageObjectInUseProtectionAdmission(), runtimeClass, WebhookAdmission.mutating(lookup),
                        new CertificateSigningRequestAdmission()),
                List.of(limitRanger, new NodeRestrictionAdmission(lookup), new PodSecurityAdmission(lookup),
                        runtimeClass,
                        new CertificateApprovalAdmission(authorizer), new CertificateSigningAdmission(authorizer),
                        new CertificateSubjectRestrictionAdmission(),
                        WebhookAdmission.validating(lookup), new ResourceQuotaAdmission(lookup, quotaWriter)));
    }
}
