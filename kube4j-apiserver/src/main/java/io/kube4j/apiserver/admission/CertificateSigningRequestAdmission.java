package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What upstream's CSR strategies do with the request context: a new CertificateSigningRequest records who asked
 * (spec.username, uid, groups, extra - whatever the client sent is replaced, so nobody can ask in another's name);
 * a write through {@code status} keeps the Approved/Denied conditions, a write through {@code approval} changes only
 * the conditions. It runs after the mutating webhooks so that none of them can forge the requestor either.
 */
public final class CertificateSigningRequestAdmission implements MutatingAdmission {

    private static final String GROUP = "certificates.k8s.io";
    private static final String RESOURCE = "certificatesigningrequests";
    private static final Set<String> APPROVAL_TYPES = Set.of("Approved", "Denied");

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
        ObjectNode status = Json.child(obj, "status");
        ArrayNode kept = status.arrayNode();
        for (JsonNode c : status.path("conditions")) {
            if (!APPROVAL_TYPES.contains(c.path("type").asString(""))) {
                kept.add(c);
            }
        }
        for (JsonNode c : old.path("status").path("conditions")) {
            if (APPROVAL_TYPES.contains(c.path("type").asString(""))) {
                kept.add(c.deepCopy());
            }
        }
        status.set("conditions", kept);
        stampConditions(status);
    }

    private static void changeOnlyConditions(AdmissionRequest request) {
        ObjectNode obj = request.object();
        JsonNode conditions = obj.path("status").path("conditions");
        ObjectNode status = request.oldObject().has("status")
                ? ((ObjectNode) request.oldObject().get("status")).deepCopy() : obj.objectNode();
        if (conditions.isArray()) {
            status.set("conditions", conditions.deepCopy());
        } else {
            status.remove("conditions");
        }
        obj.set("status", status);
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
