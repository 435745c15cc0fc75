package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.strategies.CertificateSigningRequestStrategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * What upstream's CSR strategies do with the request context: a new CertificateSigningRequest records who asked
 * (spec.username, uid, groups, extra - whatever the client sent is replaced, so nobody can ask in another's name);
 * a write through {@code status} keeps the Approved/Denied conditions and may not add or remove one, a write through
 * {@code approval} changes only the conditions. It runs after the mutating webhooks so that none of them can forge
 * the requestor either.
 */
public final class CertificateSigningRequestAdmission implements MutatingAdmission {

    private static final String GROUP = "certificates.k8s.io";
    private static final String RESOURCE = "certificatesigningrequests";

    @Override
    public String name() {
        return "CertificateSigningRequest";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (!GROUP.equals(request.group()) || !RESOURCE.equals(request.resource()) || request.object() == null) {
            return;
        }
        if (request.operation() == Operation.CREATE && request.subresource().isEmpty()) {
            recordRequestor(Json.child(request.object(), "spec"), request.user());
        } else if (request.operation() == Operation.UPDATE && request.oldObject() != null) {
            switch (request.subresource()) {
                case "status" -> keepApproval(request);
                case "approval" -> changeOnlyConditions(request);
                default -> { }
            }
        }
    }

    private static void recordRequestor(ObjectNode spec, UserInfo user) {
        spec.remove(List.of("username", "uid", "groups", "extra"));
        if (user == null) {
            return;
        }
        spec.put("username", user.name());
        if (user.uid() != null && !user.uid().isEmpty()) {
            spec.put("uid", user.uid());
        }
        ArrayNode groups = spec.putArray("groups");
        user.groups().forEach(groups::add);
        if (user.extra() != null && !user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            for (Map.Entry<String, List<String>> e : user.extra().entrySet()) {
                ArrayNode values = extra.putArray(e.getKey());
                e.getValue().forEach(values::add);
            }
        }
    }

    /**
     * The status subresource issues certificates; it cannot approve, deny, or undo either: the stored approval
     * conditions are kept, and adding or removing one is refused here already, so that later plugins see what is
     * stored (the registry holds writes to the same rules).
     */
    private static void keepApproval(AdmissionRequest request) {
        CertificateSigningRequestStrategy.keepApprovalInstances(request.object(), request.oldObject());
        stampConditions(Json.child(request.object(), "status"));
        validate(request);
    }

    /**
     * As the registry will (CertificateSigningRequestStrategy), so that later plugins see what is stored; the
     * conditions are checked here.
     */
    private static void changeOnlyConditions(AdmissionRequest request) {
        CertificateSigningRequestStrategy.keepAllButConditions(request.object(), request.oldObject());
        stampConditions(Json.child(request.object(), "status"));
        validate(request);
    }

    /** Upstream's condition rules of the subresource written through, before any validating plugin runs. */
    private static void validate(AdmissionRequest request) {
        List<FieldError> errors = CertificateSigningRequestStrategy.validateConditionUpdate(request.object(),
                request.oldObject(), request.subresource());
        if (!errors.isEmpty()) {
            throw StatusException.invalid(GROUP, "CertificateSigningRequest", request.name(), errors.stream()
                    .map(e -> new StatusCause(e.type().reason(), e.body(), e.field())).toList());
        }
    }

    /** Upstream defaults a condition's status to True and stamps the times a client left empty. */
    private static void stampConditions(ObjectNode status) {
        CertificateSigningRequestStrategy.defaultConditionStatus(status);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : status.path("conditions")) {
            if (c instanceof ObjectNode condition) {
                if (condition.path("lastUpdateTime").asString("").isEmpty()) {
                    condition.put("lastUpdateTime", now);
                }
                if (condition.path("lastTransitionTime").asString("").isEmpty()) {
                    condition.put("lastTransitionTime", now);
                }
            }
        }
    }
}
