package io.kube4j.controllers.certificates.approver;

import io.fabric8.kubernetes.api.model.Node;
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
 * <p>
 * It also approves a node's own kubelet serving certificate ({@code kubernetes.io/kubelet-serving}) when the node
 * asks for it and names only its own addresses ({@link ServingCertificateApproval}), which upstream leaves to an
 * external approver and k3s does on the server, so that the API server can reach joined nodes' kubelets over
 * verified TLS.
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
        informers.of(Node.class); // serving requests are judged against the node's addresses
    }

    @Override
    public void sync(String name) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, name);
        if (csr == null || CertificateRequests.isDecided(csr) || csr.getSpec() == null) {
            return;
        }
        if (CertificateRequests.KUBELET_SERVING_SIGNER.equals(csr.getSpec().getSignerName())) {
            syncServing(name, csr);
            return;
        }
        if (!CertificateRequests.KUBELET_CLIENT_SIGNER.equals(csr.getSpec().getSignerName())) {
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

    /**
     * A node's own serving certificate ({@link ServingCertificateApproval}). A request that does not qualify is left
     * for a human; one from a node this manager's informer has not seen yet is retried.
     */
    private void syncServing(String name, CertificateSigningRequest csr) {
        PKCS10CertificationRequest request = CertificateRequests.parse(csr);
        if (request == null) {
            return;
        }
        String cn = CertificateRequests.commonName(request.getSubject());
        Node node = cn.startsWith(CertificateRequests.NODE_PREFIX)
                ? informers.get(Node.class, cn.substring(CertificateRequests.NODE_PREFIX.length())) : null;
        String problem = ServingCertificateApproval.problem(request, csr.getSpec().getUsages(),
                csr.getSpec().getUsername(), csr.getSpec().getGroups(), node);
        if (problem == null) {
            approve(name, "Auto approving kubelet serving certificate: its names are the node's own.");
        } else if (node == null && cn.equals(csr.getSpec().getUsername())) {
            // the node registers before it asks; our informer may just not have seen it yet
            enqueueAfter(name, java.time.Duration.ofSeconds(5));
        } else {
            LOG.info("leaving kubelet serving certificate request {} for a human: {}", name, problem);
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
