package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * NodeRestriction: what a kubelet ({@code system:node:<name>}) writes must concern its own node - it creates only
 * mirror pods bound to itself that reference no secrets, config maps, PVCs or service accounts, deletes, evicts
 * and updates the status of only its own pods, creates and updates only its own Node (without touching taints or
 * {@code node-restriction.kubernetes.io/} labels), and requests tokens only for pods on its node.
 */
public final class NodeRestrictionAdmission implements ValidatingAdmission {

    static final String RESTRICTED_LABEL_PREFIX = "node-restriction.kubernetes.io/";

    private final ObjectLookup lookup;

    public NodeRestrictionAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "NodeRestriction";
    }

    @Override
    public void validate(AdmissionRequest request) {
        String node = request.user() == null ? null : request.user().nodeName();
        if (node == null || !request.group().isEmpty()) {
            return;
        }
        switch (request.resource()) {
            case "pods" -> pods(request, node);
            case "nodes" -> nodes(request, node);
            case "serviceaccounts" -> {
                if (request.subresource().equals("token") && request.operation() == Operation.CREATE) {
                    token(request, node);
                }
            }
            default -> {
            }
        }
    }

    private void pods(AdmissionRequest request, String node) {
        switch (request.subresource()) {
            case "" -> {
                if (request.operation() == Operation.CREATE) {
                    createMirrorPod(request, node);
                } else if (request.operation() == Operation.DELETE) {
                    if (!node.equals(podNode(request))) {
                        throw AdmissionErrors.forbidden(request, "node \"" + node
                                + "\" can only delete pods with spec.nodeName set to itself");
                    }
                } else {
                    throw AdmissionErrors.forbidden(request, "unexpected operation " + request.operation()
                            + ", node \"" + node + "\" can only create and delete mirror pods");
                }
            }
            case "status" -> {
                if (!node.equals(podNode(request))) {
                    throw AdmissionErrors.forbidden(request, "node \"" + node
                            + "\" can only update pod status for pods with spec.nodeName set to itself");
                }
            }
            case "eviction" -> {
                if (!node.equals(podNode(request))) {
                    throw AdmissionErrors.forbidden(request, "node \"" + node
                            + "\" can only evict pods with spec.nodeName set to itself");
                }
            }
            default -> throw AdmissionErrors.forbidden(request, "unexpected subresource " + request.subresource()
                    + ", node \"" + node + "\" may not write it");
        }
    }

    private static void createMirrorPod(AdmissionRequest request, String node) {
        ObjectNode pod = request.object();
        if (Json.text(pod, "metadata", "annotations", ServiceAccountAdmission.MIRROR_ANNOTATION) == null) {
            throw AdmissionErrors.forbidden(request, "pod does not have \"" + ServiceAccountAdmission.MIRROR_ANNOTATION
                    + "\" annotation, node \"" + node + "\" can only create mirror pods");
        }
        if (!node.equals(Json.text(pod, "spec", "nodeName"))) {
            throw AdmissionErrors.forbidden(request, "node \"" + node
                    + "\" can only create pods with spec.nodeName set to itself");
        }
        String sa = Json.text(pod, "spec", "serviceAccountName");
        if (sa != null && !sa.isEmpty()) {
            throw AdmissionErrors.forbidden(request, "node \"" + node
                    + "\" can not create pods that reference a service account");
        }
        if (!references(pod, "secret", "secretName") && !references(pod, "secretKeyRef", null)
                && !references(pod, "secretRef", null)) {
            if (references(pod, "configMap", "name") || references(pod, "configMapKeyRef", null)
                    || references(pod, "configMapRef", null)) {
                throw AdmissionErrors.forbidden(request, "node \"" + node
                        + "\" can not create pods that reference configmaps");
            }
            if (references(pod, "persistentVolumeClaim", "claimName")) {
                throw AdmissionErrors.forbidden(request, "node \"" + node
                        + "\" can not create pods that reference persistentvolumeclaims");
            }
            return;
        }
        throw AdmissionErrors.forbidden(request, "node \"" + node + "\" can not create pods that reference secrets");
    }

    /** Whether any object field named {@code field} (anywhere in the spec) is present. */
    private static boolean references(JsonNode node, String field, String nameField) {
        if (node == null) {
            return false;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equals(field) && e.getValue().isObject()) {
                    return true;
                }
                if (references(e.getValue(), field, nameField)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (references(item, field, nameField)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String podNode(AdmissionRequest request) {
        ObjectNode pod = request.oldObject();
        if (pod == null || request.subresource().equals("eviction")) {
            pod = lookup.get("pods", request.namespace(), request.name()).orElse(null);
        }
        return pod == null ? null : Json.text(pod, "spec", "nodeName");
    }

    private static void nodes(AdmissionRequest request, String node) {
        if (request.operation() == Operation.DELETE) {
            if (!node.equals(request.name())) {
                throw AdmissionErrors.forbidden(request, "node \"" + node + "\" is not allowed to modify node \""
                        + request.name() + "\"");
            }
            return;
        }
        String requested = request.object() == null ? request.name()
                : Objects.requireNonNullElse(Json.text(request.object(), "metadata", "name"), request.name());
        if (!node.equals(requested)) {
            throw AdmissionErrors.forbidden(request, "node \"" + node + "\" is not allowed to modify node \""
                    + requested + "\"");
        }
        if (request.object() == null) {
            return;
        }
        Map<String, String> labels = Json.stringMap(Json.obj(request.object(), "metadata", "labels"));
        Map<String, String> oldLabels = request.oldObject() == null ? Map.of()
                : Json.stringMap(Json.obj(request.oldObject(), "metadata", "labels"));
        TreeSet<String> changed = new TreeSet<>();
        for (String key : new TreeSet<>(labels.keySet())) {
            if (key.startsWith(RESTRICTED_LABEL_PREFIX) && !Objects.equals(labels.get(key), oldLabels.get(key))) {
                changed.add(key);
            }
        }
        for (String key : oldLabels.keySet()) {
            if (key.startsWith(RESTRICTED_LABEL_PREFIX) && !labels.containsKey(key)) {
                changed.add(key);
            }
        }
        if (!changed.isEmpty()) {
            throw AdmissionErrors.forbidden(request, "node \"" + node + "\" is not allowed to "
                    + (request.operation() == Operation.CREATE ? "set" : "modify") + " the following labels: "
                    + String.join(", ", changed));
        }
        if (request.operation() == Operation.UPDATE && request.oldObject() != null && request.subresource().isEmpty()) {
            JsonNode taints = request.object().path("spec").path("taints");
            JsonNode oldTaints = request.oldObject().path("spec").path("taints");
            if (!taints.equals(oldTaints) && !(taints.isEmpty() && oldTaints.isEmpty())) {
                throw AdmissionErrors.forbidden(request, "node \"" + node + "\" is not allowed to modify taints");
            }
        }
    }

    private void token(AdmissionRequest request, String node) {
        ObjectNode ref = request.object() == null ? null : Json.obj(request.object(), "spec", "boundObjectRef");
        if (ref == null || !"Pod".equals(Json.text(ref, "kind"))) {
            throw AdmissionErrors.forbidden(request, "node requested token not bound to a pod");
        }
        String podName = Json.text(ref, "name");
        ObjectNode pod = podName == null ? null : lookup.get("pods", request.namespace(), podName).orElse(null);
        if (pod == null) {
            throw AdmissionErrors.forbidden(request, "node requested token bound to a pod that does not exist");
        }
        String uid = Json.text(ref, "uid");
        if (uid == null || !uid.equals(Json.text(pod, "metadata", "uid"))) {
            throw AdmissionErrors.forbidden(request, "the UID in the bound object reference (" + uid
                    + ") does not match the UID in record");
        }
        if (!node.equals(Json.text(pod, "spec", "nodeName"))) {
            throw AdmissionErrors.forbidden(request,
                    "node requested token bound to a pod scheduled on a different node");
        }
    }
}
