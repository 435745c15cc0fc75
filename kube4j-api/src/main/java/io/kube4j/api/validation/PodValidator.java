package io.kube4j.api.validation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 Pod: ValidatePodCreate and ValidatePodUpdate (only images, activeDeadlineSeconds, tolerations additions, ... may change). */
final class PodValidator extends KindValidator {
    static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers");
    private static final String TOLERATION_SECONDS = "tolerationSeconds";

    PodValidator() {
        super(true, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode pod, List<FieldError> errs) {
        PodSpecValidation.validate(Json.obj(pod, "spec"), "spec", errs);
    }

    @Override
    void validateNew(ObjectNode pod, List<FieldError> errs) {
        if (!Json.arr(Json.obj(pod, "spec"), "ephemeralContainers").isEmpty()) {
            errs.add(FieldError.forbidden("spec.ephemeralContainers", "cannot be set on create"));
        }
    }

    @Override
    void validateForUpdate(ObjectNode pod, ObjectNode old, List<FieldError> errs) {
        ObjectNode spec = Json.obj(pod, "spec");
        ObjectNode oldSpec = Json.obj(old, "spec");
        validate(pod, errs);
        if (!errs.isEmpty() && spec == null) {
            return;
        }
        for (String list : CONTAINER_LISTS) {
            if (Json.objs(spec, list).size() != Json.objs(oldSpec, list).size()) {
                errs.add(FieldError.forbidden(Paths.child("spec", list), "pod updates may not add or remove containers"));
                return;
            }
        }
        Long deadline = Json.lng(spec, "activeDeadlineSeconds");
        Long oldDeadline = Json.lng(oldSpec, "activeDeadlineSeconds");
        if (deadline != null) {
            if (deadline < 0 || deadline > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid("spec.activeDeadlineSeconds", deadline, NameValidation.inclusiveRangeError(0, Integer.MAX_VALUE)));
                return;
            }
            if (oldDeadline != null && oldDeadline < deadline) {
                errs.add(FieldError.invalid("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value"));
                return;
            }
        } else if (oldDeadline != null) {
            errs.add(FieldError.invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
        }
        onlyAddedTolerations(Json.objs(spec, "tolerations"), Json.objs(oldSpec, "tolerations"), errs);
        if (SemanticEquality.equal(spec, oldSpec)) {
            return;
        }
        ObjectNode munged = spec.deepCopy();
        for (String list : CONTAINER_LISTS) {
            List<ObjectNode> now = Json.objs(munged, list);
            List<ObjectNode> before = Json.objs(oldSpec, list);
            for (int i = 0; i < now.size(); i++) {
                JsonNode oldImage = before.get(i).get("image");
                if (oldImage == null) {
                    now.get(i).remove("image");
                } else {
                    now.get(i).set("image", oldImage.deepCopy());
                }
            }
        }
        for (String f : List.of("activeDeadlineSeconds", "schedulingGates", "tolerations")) {
            JsonNode o = oldSpec == null ? null : oldSpec.get(f);
            if (o == null) {
                munged.remove(f);
            } else {
                munged.set(f, o.deepCopy());
            }
        }
        Long oldGrace = Json.lng(oldSpec, "terminationGracePeriodSeconds");
        Long grace = Json.lng(munged, "terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace < 0 && grace != null && grace == 1) {
            munged.put("terminationGracePeriodSeconds", oldGrace);
        }
        if (!SemanticEquality.equal(munged, oldSpec)) {
            errs.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN + "\n" + diff(oldSpec, munged)));
        }
    }

    /** The annotation of a static pod's mirror: its spec comes from a file on the node, not from the API. */
    private static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

    /**
     * ValidatePodEphemeralContainersUpdate, for {@code pods/ephemeralcontainers}: the new pod is valid as a whole, a
     * static pod takes no ephemeral containers, and existing ephemeral containers are neither removed nor changed
     * (matched by name: a patch need not keep their order). That only spec.ephemeralContainers changes at all is the
     * subresource's update preparation (upstream's dropNonEphemeralContainerUpdates), not a rule here.
     */
    @Override
    void validateSubresourceUpdate(String subresource, ObjectNode pod, ObjectNode old, List<FieldError> errs) {
        if (!subresource.equals("ephemeralcontainers")) {
            super.validateSubresourceUpdate(subresource, pod, old, errs);
            return;
        }
        validate(pod, errs);
        if (Json.has(Json.obj(Json.obj(old, "metadata"), "annotations"), MIRROR_POD_ANNOTATION)) {
            errs.clear();
            errs.add(FieldError.forbidden("", "static pods do not support ephemeral containers"));
            return;
        }
        Map<String, ObjectNode> byName = new java.util.HashMap<>();
        for (ObjectNode c : Json.objs(Json.obj(pod, "spec"), "ephemeralContainers")) {
            byName.put(Json.strOr(c, "name", ""), c);
        }
        for (ObjectNode before : Json.objs(Json.obj(old, "spec"), "ephemeralContainers")) {
            String name = Json.strOr(before, "name", "");
            ObjectNode now = byName.get(name);
            if (now == null) {
                errs.add(FieldError.forbidden("spec.ephemeralContainers",
                        "existing ephemeral containers \"" + name + "\" may not be removed\n"));
            } else if (!SemanticEquality.equal(before, now)) {
                errs.add(FieldError.forbidden("spec.ephemeralContainers", "existing ephemeral containers \"" + name
                        + "\" may not be changed\n" + diff("core.EphemeralContainer", before, now)));
            }
        }
    }

    /** Upstream appends a cmp.Diff of the specs; this lists the changed top-level fields in the same spirit. */
    private static String diff(ObjectNode oldSpec, ObjectNode newSpec) {
        return diff("core.PodSpec", oldSpec, newSpec);
    }

    private static String diff(String type, ObjectNode oldSpec, ObjectNode newSpec) {
        Set<String> keys = new TreeSet<>();
        if (oldSpec != null) {
            keys.addAll(oldSpec.propertyNames());
        }
        keys.addAll(newSpec.propertyNames());
        StringBuilder b = new StringBuilder("  ").append(type).append("{\n");
        for (String k : keys) {
            JsonNode o = oldSpec == null ? null : oldSpec.get(k);
            JsonNode n = newSpec.get(k);
            if (!SemanticEquality.equal(o, n)) {
                b.append("- \t").append(k).append(": ").append(o == null ? "nil" : o.toString()).append(",\n");
                b.append("+ \t").append(k).append(": ").append(n == null ? "nil" : n.toString()).append(",\n");
            }
        }
        return b.append("  }\n").toString();
    }

    private static void onlyAddedTolerations(List<ObjectNode> now, List<ObjectNode> before, List<FieldError> errs) {
        for (ObjectNode old : before) {
            boolean found = false;
            for (ObjectNode t : now) {
                if (equalButTolerationSeconds(old, t)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                errs.add(FieldError.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }
    }

    /**
     * Whether two tolerations are semantically equal once tolerationSeconds is dropped from both: compared field by
     * field rather than on two copies without it (each update copied every pair of old and new tolerations).
     */
    private static boolean equalButTolerationSeconds(ObjectNode a, ObjectNode b) {
        for (Map.Entry<String, JsonNode> e : a.properties()) {
            if (!e.getKey().equals(TOLERATION_SECONDS) && !SemanticEquality.equal(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            if (!e.getKey().equals(TOLERATION_SECONDS) && !a.has(e.getKey()) && !SemanticEquality.isZero(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** ValidatePodTemplateSpec: the template's labels and annotations, then its pod spec. */
    static void validateTemplate(ObjectNode template, String path, List<FieldError> errs) {
        if (template == null) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        ObjectNode meta = Json.obj(template, "metadata");
        errs.addAll(ObjectMetaValidation.validateLabels(Json.obj(meta, "labels"), Paths.child(Paths.child(path, "metadata"), "labels")));
        errs.addAll(ObjectMetaValidation.validateAnnotations(Json.obj(meta, "annotations"),
                Paths.child(Paths.child(path, "metadata"), "annotations")));
        PodSpecValidation.validate(Json.obj(template, "spec"), Paths.child(path, "spec"), errs);
        JsonNode ephemeral = Json.node(Json.obj(template, "spec"), "ephemeralContainers");
        if (ephemeral instanceof ArrayNode a && !a.isEmpty()) {
            errs.add(FieldError.forbidden(Paths.child(Paths.child(path, "spec"), "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }
    }
}
