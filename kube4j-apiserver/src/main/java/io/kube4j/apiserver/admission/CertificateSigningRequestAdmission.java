package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
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
 * a write through {@code status} keeps the Approved/Denied conditions, a write through {@code approval} changes only
 * the conditions. It runs after the mutating webhooks so that none of them can forge the requestor either.
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
                case "status" -> keepApproval(request.object(), request.oldObject());
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

    /** The status subresource issues certificates; it cannot approve, deny, or undo either. */
    private static void keepApproval(ObjectNode obj, ObjectNode old) {
        CertificateSigningRequestStrategy.keepApproval(obj, old);
        stampConditions(Json.child(obj, "status"));
    }

    /**
     * As the registry will (CertificateSigningRequestStrategy), so that later plugins see what is stored; the
     * conditions are checked here.
     */
    private static void changeOnlyConditions(AdmissionRequest request) {
        CertificateSigningRequestStrategy.keepAllButConditions(request.object(), request.oldObject());
        ObjectNode status = Json.child(request.object(), "status");
        validateApproval(request.name(), status, request.oldObject().path("status"));
        stampConditions(status);
    }

    private static void validateApproval(String name, ObjectNode status, JsonNode oldStatus) {
        boolean approved = has(status, "Approved");
        boolean denied = has(status, "Denied");
        String problem = null;
        if (approved && denied) {
            problem = "Approved and Denied conditions are mutually exclusive";
        } else if (has(oldStatus, "Approved") && !approved) {
            problem = "updates may not remove the Approved condition";
        } else if (has(oldStatus, "Denied") && !denied) {
            problem = "updates may not remove the Denied condition";
        }
        if (problem != null) {
            throw StatusException.invalid(GROUP, "CertificateSigningRequest", name,
                    List.of(new StatusCause("FieldValueForbidden", problem, "status.conditions")));
        }
    }

    private static boolean has(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asString("")) && "True".equals(c.path("status").asString("True"))) {
                return true;
            }
        }
        return false;
    }

    /** Upstream defaults a condition's status to True and stamps the times a client left empty. */
    private static void stampConditions(ObjectNode status) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : status.path("conditions")) {
            if (c instanceof ObjectNode condition) {
                if (condition.path("status").asString("").isEmpty()) {
                    condition.put("status", "True");
                }
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
