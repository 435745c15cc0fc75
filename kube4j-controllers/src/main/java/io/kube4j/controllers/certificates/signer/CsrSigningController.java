package io.kube4j.controllers.certificates.signer;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Upstream's csrsigning controller for the signers backed by the cluster CA:
 * {@code kubernetes.io/kube-apiserver-client-kubelet}, {@code kubernetes.io/kube-apiserver-client} and
 * {@code kubernetes.io/kubelet-serving} (whose certificates carry the request's DNS and IP names). An approved,
 * not yet issued request gets status.certificate, valid for spec.expirationSeconds (at least 600 s) or the default
 * duration, never beyond the CA; a request that breaks its signer's rules gets a Failed condition instead.
 */
public final class CsrSigningController extends Controller {
    private static final Logger LOG = LoggerFactory.getLogger(CsrSigningController.class);

    /** kube-controller-manager's --cluster-signing-duration default. */
    public static final Duration DEFAULT_DURATION = Duration.ofDays(365);
    static final long MIN_EXPIRATION_SECONDS = 600;
    private static final Set<String> SIGNERS = Set.of(CertificateRequests.KUBELET_CLIENT_SIGNER,
            CertificateRequests.API_SERVER_CLIENT_SIGNER, CertificateRequests.KUBELET_SERVING_SIGNER);
    private static final Set<String> CLIENT_USAGES = Set.of("client auth", "digital signature", "key encipherment");

    private final KubernetesClient client;
    private final Informers informers;
    private final SigningAuthority authority;
    private final Clock clock;

    public CsrSigningController(ControllerContext ctx, SigningAuthority authority) {
        super("csrsigning", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.authority = authority;
        this.clock = ctx.clock();
        informers.of(CertificateSigningRequest.class).addEventHandler(Handlers.of(this::enqueue,
                (o, n) -> enqueue(n), csr -> { }));
    }

    /** Disabled when the manager was given no signing CA (as upstream without --cluster-signing-*-file). */
    public static CsrSigningController create(ControllerContext ctx) {
        String cert = ctx.options().clusterSigningCertPem();
        String key = ctx.options().clusterSigningKeyPem();
        if (cert == null || key == null) {
            return null;
        }
        return new CsrSigningController(ctx, SigningAuthority.fromPem(cert, key));
    }

    @Override
    public void sync(String name) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, name);
        if (csr == null || csr.getSpec() == null || !SIGNERS.contains(csr.getSpec().getSignerName())
                || !CertificateRequests.isApproved(csr) || CertificateRequests.isIssued(csr)
                || CertificateRequests.hasCondition(csr, "Failed")) {
            return;
        }
        PKCS10CertificationRequest request = CertificateRequests.parse(csr);
        List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
        String problem = request == null ? "spec.request holds no valid certificate request"
                : signerProblem(csr.getSpec().getSignerName(), request, usages);
        if (problem != null) {
            fail(csr, problem);
            return;
        }
        Instant now = clock.instant();
        // only a serving certificate carries names; the client signers refused any above
        String pem = authority.issue(request.getSubject(), request.getSubjectPublicKeyInfo(), usages, now,
                validity(csr.getSpec().getExpirationSeconds()),
                CertificateRequests.KUBELET_SERVING_SIGNER.equals(csr.getSpec().getSignerName())
                        ? CertificateRequests.subjectAltNames(request) : null);
        CertificateSigningRequest issued = new CertificateSigningRequestBuilder(csr).editOrNewStatus()
                .withCertificate(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .endStatus().build();
        updateStatus(issued);
        LOG.info("signed certificate signing request {} for {}", name,
                CertificateRequests.commonName(request.getSubject()));
    }

    /** spec.expirationSeconds, raised to upstream's minimum and capped at the default duration. */
    static Duration validity(Integer expirationSeconds) {
        if (expirationSeconds == null) {
            return DEFAULT_DURATION;
        }
        Duration requested = Duration.ofSeconds(Math.max(MIN_EXPIRATION_SECONDS, expirationSeconds));
        return requested.compareTo(DEFAULT_DURATION) > 0 ? DEFAULT_DURATION : requested;
    }

    /** Upstream's per-signer rules (pkg/apis/certificates validation of the kubernetes.io signers). */
    static String signerProblem(String signer, PKCS10CertificationRequest request, List<String> usages) {
        if (signer.equals(CertificateRequests.KUBELET_CLIENT_SIGNER)) {
            return CertificateRequests.kubeletClientProblem(request, usages);
        }
        if (signer.equals(CertificateRequests.KUBELET_SERVING_SIGNER)) {
            return CertificateRequests.kubeletServingProblem(request, usages);
        }
        if (!usages.contains("client auth") || !CLIENT_USAGES.containsAll(usages)) {
            return "usages must be client auth, optionally with digital signature and key encipherment";
        }
        if (CertificateRequests.hasSubjectAltNames(request)) {
            return "a client certificate has no subject alternative names";
        }
        return null;
    }

    private void fail(CertificateSigningRequest csr, String problem) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        CertificateSigningRequest failed = new CertificateSigningRequestBuilder(csr).editOrNewStatus()
                .addToConditions(new CertificateSigningRequestConditionBuilder().withType("Failed")
                        .withStatus("True").withReason("SignerValidationFailure").withMessage(problem)
                        .withLastUpdateTime(now).withLastTransitionTime(now).build())
                .endStatus().build();
        updateStatus(failed);
        LOG.info("refused to sign certificate signing request {}: {}", csr.getMetadata().getName(), problem);
    }

    private void updateStatus(CertificateSigningRequest csr) {
        try {
            client.certificates().v1().certificateSigningRequests().resource(csr).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
