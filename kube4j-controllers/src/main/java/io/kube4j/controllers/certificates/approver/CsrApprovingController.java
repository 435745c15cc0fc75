package io.kube4j.controllers.certificates.approver;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.certificates.CertificateRequests;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Upstream's csrapproving controller: approves kubelet client certificate requests
 * ({@code kubernetes.io/kube-apiserver-client-kubelet}) when a SubjectAccessReview says the requestor may create
 * {@code certificatesigningrequests/selfnodeclient} (a node renewing its own certificate) or
 * {@code certificatesigningrequests/nodeclient} (a bootstrap token joining a node). Everything else is left for a
 * human ({@code kubectl certificate approve}). It never denies.
 */
public final class CsrApprovingController extends Controller {
    private static final Logger LOG = LoggerFactory.getLogger(CsrApprovingController.class);

    private final KubernetesClient client;
    private final Informers informers;

    public CsrApprovingController(ControllerContext ctx) {
        super("csrapproving", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        informers.of(CertificateSigningRequest.class).addEventHandler(Handlers.of(this::enqueue,
                (o, n) -> enqueue(n), csr -> { }));
    }

    @Override
    public void sync(String name) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, name);
        if (csr == null || CertificateRequests.isDecided(csr) || csr.getSpec() == null
                || !CertificateRequests.KUBELET_CLIENT_SIGNER.equals(csr.getSpec().getSignerName())) {
            return;
        }
        PKCS10CertificationRequest request = CertificateRequests.parse(csr);
        if (request == null || CertificateRequests.kubeletClientProblem(request, csr.getSpec().getUsages()) != null) {
            return;
        }
        // the node asking for its own name again: renewal, which any node may do for itself
        boolean self = CertificateRequests.commonName(request.getSubject()).equals(csr.getSpec().getUsername());
        if (self && allowed(csr, "selfnodeclient")) {
            approve(name, "Auto approving self kubelet client certificate after SubjectAccessReview.");
        } else if (allowed(csr, "nodeclient")) {
            approve(name, "Auto approving kubelet client certificate after SubjectAccessReview.");
        }
    }

    private boolean allowed(CertificateSigningRequest csr, String subresource) {
        var spec = csr.getSpec();
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(spec.getUsername())
                .withUid(spec.getUid())
                .withGroups(spec.getGroups() == null ? List.of() : spec.getGroups())
                .withExtra(spec.getExtra())
                .withNewResourceAttributes()
                .withGroup("certificates.k8s.io")
                .withResource("certificatesigningrequests")
                .withSubresource(subresource)
                .withVerb("create")
                .endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    private void approve(String name, String message) {
        CertificateSigningRequestCondition approved = new CertificateSigningRequestConditionBuilder()
                .withType("Approved").withStatus("True").withReason("AutoApproved").withMessage(message).build();
        try {
            client.certificates().v1().certificateSigningRequests().withName(name).approve(approved);
            LOG.info("approved certificate signing request {}: {}", name, message);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
