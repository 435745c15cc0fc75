package io.kube4j.api.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** ObjectMeta rules shared by every kind (upstream's {@code apimachinery/pkg/api/validation/objectmeta.go}). */
public final class ObjectMetaValidation {
    private ObjectMetaValidation() {
    }

    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    static final String IMMUTABLE = "field is immutable";
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");
    // the paths every create and update passes to the label, annotation and reference checks, built once
    private static final List<String> IMMUTABLE_FIELDS = List.of("name", "namespace", "uid", "creationTimestamp",
            "deletionTimestamp", "deletionGracePeriodSeconds");
    private static final String LABELS = "metadata.labels";
    private static final String ANNOTATIONS = "metadata.annotations";
    private static final String OWNER_REFERENCES = "metadata.ownerReferences";
    private static final String FINALIZERS = "metadata.finalizers";

    /**
     * @param namespaced     true: namespace required; false: forbidden; null: not checked (scope unknown)
     * @param kubeFinalizers true for built-in kinds: unqualified finalizers must be standard ones
     */
    static List<FieldError> validate(ObjectNode obj, Boolean namespaced, NameFn nameFn, boolean kubeFinalizers) {
        List<FieldError> errs = new ArrayList<>();
        String path = "metadata";
        ObjectNode meta = Json.obj(obj, "metadata");
        String generateName = Json.strOr(meta, "generateName", "");
        String name = Json.strOr(meta, "name", "");
        String namespace = Json.strOr(meta, "namespace", "");
        if (!generateName.isEmpty()) {
            for (String m : nameFn.validate(generateName, true)) {
                errs.add(FieldError.invalid(Paths.child(path, "generateName"), generateName, m));
            }
        }
        if (name.isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "name"), "name or generateName is required"));
        } else {
            for (String m : nameFn.validate(name, false)) {
                errs.add(FieldError.invalid(Paths.child(path, "name"), name, m));
            }
        }
        if (Boolean.TRUE.equals(namespaced)) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required(Paths.child(path, "namespace"), ""));
            } else {
                for (String m : NameValidation.isDns1123Label(namespace)) {
                    errs.add(FieldError.invalid(Paths.child(path, "namespace"), namespace, m));
                }
            }
        } else if (Boolean.FALSE.equals(namespaced) && !namespace.isEmpty()) {
            errs.add(FieldError.forbidden(Paths.child(path, "namespace"), "not allowed on this type"));
        }
        Long generation = Json.lng(meta, "generation");
        if (generation != null && generation < 0) {
            errs.add(FieldError.invalid(Paths.child(path, "generation"), generation, "must be greater than or equal to 0"));
        }
        errs.addAll(validateLabels(Json.obj(meta, "labels"), LABELS));
        errs.addAll(validateAnnotations(Json.obj(meta, "annotations"), ANNOTATIONS));
        errs.addAll(validateOwnerReferences(Json.objs(meta, "ownerReferences"), Json.node(meta, "ownerReferences"),
                OWNER_REFERENCES));
        errs.addAll(validateFinalizers(Json.strs(meta, "finalizers"), FINALIZERS, kubeFinalizers));
        return errs;
    }

    static List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        String path = "metadata";
        ObjectNode meta = Json.obj(obj, "metadata");
        ObjectNode oldMeta = Json.obj(old, "metadata");
        if (Json.has(oldMeta, "deletionTimestamp")) {
            List<String> oldFinalizers = Json.strs(oldMeta, "finalizers");
            List<String> extra = new ArrayList<>();
            for (String f : Json.strs(meta, "finalizers")) {
                if (!oldFinalizers.contains(f) && !extra.contains(f)) {
                    extra.add(f);
                }
            }
            if (!extra.isEmpty()) {
                extra.sort(null);
                errs.add(FieldError.forbidden(Paths.child(path, "finalizers"),
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + GoFormat.value(extra)));
            }
        }
        Long gen = Json.lng(meta, "generation");
        Long oldGen = Json.lng(oldMeta, "generation");
        if ((gen == null ? 0 : gen) < (oldGen == null ? 0 : oldGen)) {
            errs.add(FieldError.invalid(Paths.child(path, "generation"), gen == null ? 0L : gen, "must not be decremented"));
        }
        for (String f : IMMUTABLE_FIELDS) {
            JsonNode n = Json.node(meta, f);
            JsonNode o = Json.node(oldMeta, f);
            boolean emptyN = n == null || (n.isString() && n.asString().isEmpty());
            boolean emptyO = o == null || (o.isString() && o.asString().isEmpty());
            if (emptyN && emptyO) {
                continue;
            }
            if (emptyN != emptyO || !n.equals(o)) {
                errs.add(FieldError.invalid(Paths.child(path, f), n == null ? "" : n, IMMUTABLE));
            }
        }
        errs.addAll(validateLabels(Json.obj(meta, "labels"), LABELS));
        errs.addAll(validateAnnotations(Json.obj(meta, "annotations"), ANNOTATIONS));
        errs.addAll(validateOwnerReferences(Json.objs(meta, "ownerReferences"), Json.node(meta, "ownerReferences"),
                OWNER_REFERENCES));
        return errs;
    }

    public static List<FieldError> validateLabels(ObjectNode labels, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (labels == null) {
            return errs;
        }
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            for (String m : NameValidation.isQualifiedName(e.getKey())) {
                errs.add(FieldError.invalid(path, e.getKey(), m));
            }
            String v = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
            for (String m : NameValidation.isValidLabelValue(v)) {
                errs.add(FieldError.invalid(path, v, m));
            }
        }
        return errs;
    }

    public static List<FieldError> validateAnnotations(ObjectNode annotations, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (annotations == null) {
            return errs;
        }
        long total = 0;
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            for (String m : NameValidation.isQualifiedName(e.getKey().toLowerCase())) {
                errs.add(FieldError.invalid(path, e.getKey(), m));
            }
            String v = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + v.getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.add(FieldError.tooLong(path, "", TOTAL_ANNOTATION_SIZE_LIMIT));
        }
        return errs;
    }

    static List<FieldError> validateOwnerReferences(List<ObjectNode> refs, JsonNode raw, String path) {
        List<FieldError> errs = new ArrayList<>();
        String firstController = null;
        for (ObjectNode ref : refs) {
            String apiVersion = Json.strOr(ref, "apiVersion", "");
            String kind = Json.strOr(ref, "kind", "");
            String name = Json.strOr(ref, "name", "");
            String uid = Json.strOr(ref, "uid", "");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            if (version.isEmpty()) {
                errs.add(FieldError.invalid(Paths.child(path, "apiVersion"), apiVersion, "version must not be empty"));
            }
            if (kind.isEmpty()) {
                errs.add(FieldError.invalid(Paths.child(path, "kind"), kind, "kind must not be empty"));
            }
            if (name.isEmpty()) {
                errs.add(FieldError.invalid(Paths.child(path, "name"), name, "name must not be empty"));
            }
            if (uid.isEmpty()) {
                errs.add(FieldError.invalid(Paths.child(path, "uid"), uid, "uid must not be empty"));
            }
            if (apiVersion.equals("v1") && kind.equals("Event") || apiVersion.equals("events.k8s.io/v1") && kind.equals("Event")) {
                String gvk = apiVersion.contains("/")
                        ? apiVersion.substring(0, apiVersion.indexOf('/')) + "/" + version + ", Kind=" + kind
                        : "/" + version + ", Kind=" + kind;
                errs.add(FieldError.invalid(path, ref, gvk + " is disallowed from being an owner"));
            }
            if (Boolean.TRUE.equals(Json.bool(ref, "controller"))) {
                String current = kind + "/" + name;
                if (firstController != null) {
                    errs.add(FieldError.invalid(path, raw, "Only one reference can have Controller set to true. Found \"true\" in references for "
                            + firstController + " and " + current));
                } else {
                    firstController = current;
                }
            }
        }
        return errs;
    }

    static List<FieldError> validateFinalizers(List<String> finalizers, String path, boolean kubeFinalizers) {
        List<FieldError> errs = new ArrayList<>();
        boolean orphan = false;
        boolean foreground = false;
        for (String f : finalizers) {
            for (String m : NameValidation.isQualifiedName(f)) {
                errs.add(FieldError.invalid(path, f, m));
            }
            orphan |= f.equals("orphan");
            foreground |= f.equals("foregroundDeletion");
        }
        if (orphan && foreground) {
            errs.add(FieldError.invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
        }
        if (kubeFinalizers) {
            for (int i = 0; i < finalizers.size(); i++) {
                String f = finalizers.get(i);
                String p = Paths.index(path, i);
                for (String m : NameValidation.isQualifiedName(f)) {
                    errs.add(FieldError.invalid(p, f, m));
                }
                if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
                    errs.add(FieldError.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified"));
                }
            }
        }
        return errs;
    }
}
