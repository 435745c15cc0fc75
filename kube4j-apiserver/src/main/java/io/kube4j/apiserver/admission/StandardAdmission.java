package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.admission.policy.ParamSource;
import io.kube4j.apiserver.admission.policy.ValidatingPolicyAdmission;
import io.kube4j.apiserver.admission.webhook.WebhookAdmission;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authz.Authorizer;

import java.util.List;
import java.util.Optional;

/** The admission chain kube4j runs, in upstream's recommended plugin order. */
public final class StandardAdmission {

    private StandardAdmission() {
    }

    /**
     * The chain with admission webhooks in upstream's places: MutatingAdmissionWebhook after the built-in
     * mutating plugins, ValidatingAdmissionWebhook just before ResourceQuota. {@code authorizer} answers the
     * certificate plugins' questions (may this user approve or sign for a signer) and the admission expressions'
     * {@code authorizer} checks.
     */
    public static AdmissionChain chain(ObjectLookup lookup, QuotaStatusWriter quotaWriter, Authorizer authorizer) {
        // without the registries no param kind can be read: a binding with a paramRef fails to configure
        return chain(lookup, quotaWriter, authorizer, (apiVersion, kind) -> Optional.empty());
    }

    /**
     * The same with ValidatingAdmissionPolicy in upstream's place, just before ValidatingAdmissionWebhook, reading
     * bindings' params from {@code params}.
     */
    public static AdmissionChain chain(ObjectLookup lookup, QuotaStatusWriter quotaWriter, Authorizer authorizer,
                                       ParamSource params) {
        LimitRangerAdmission limitRanger = new LimitRangerAdmission(lookup);
        RuntimeClassAdmission runtimeClass = new RuntimeClassAdmission(lookup);
        return new AdmissionChain(
                List.of(limitRanger, new ServiceAccountAdmission(lookup), new PriorityAdmission(lookup),
                        new DefaultTolerationSecondsAdmission(), new DefaultStorageClassAdmission(lookup),
                        new StorageObjectInUseProtectionAdmission(), runtimeClass, WebhookAdmission.mutating(lookup, authorizer),
                        new CertificateSigningRequestAdmission()),
                List.of(limitRanger, new NodeRestrictionAdmission(lookup), new PodSecurityAdmission(lookup),
                        runtimeClass,
                        new CertificateApprovalAdmission(authorizer), new CertificateSigningAdmission(authorizer),
                        new CertificateSubjectRestrictionAdmission(),
                        new ValidatingPolicyAdmission(lookup, params, authorizer),
                        WebhookAdmission.validating(lookup, authorizer),
                        new ResourceQuotaAdmission(lookup, quotaWriter)));
    }
}
