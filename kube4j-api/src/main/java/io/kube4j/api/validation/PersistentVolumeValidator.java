package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 PersistentVolume: capacity, access modes, reclaim policy and exactly one volume source (immutable). */
final class PersistentVolumeValidator extends KindValidator {
    static final List<String> SOURCES = List.of("gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs",
            "rbd", "quobyte", "cinder", "cephfs", "iscsi", "fc", "flexVolume", "azureFile", "vsphereVolume",
            "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi");

    PersistentVolumeValidator() {
        super(false, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode pv, List<FieldError> errs) {
        ObjectNode spec = Json.obj(pv, "spec");
        List<String> modes = Json.strs(spec, "accessModes");
        if (modes.isEmpty()) {
            errs.add(FieldError.required("spec.accessModes", ""));
        }
        for (String m : modes) {
            if (!CoreValidators.ACCESS_MODES.contains(m)) {
                errs.add(FieldError.notSupported("spec.accessModes", m, CoreValidators.ACCESS_MODES));
            }
        }
        ObjectNode capacity = Json.obj(spec, "capacity");
        if (capacity == null || capacity.isEmpty()) {
            errs.add(FieldError.required("spec.capacity", ""));
        } else if (!capacity.has("storage") || capacity.size() > 1) {
            errs.add(FieldError.notSupported("spec.capacity", new GoFormat.Raw(capacity.toString()), List.of("storage")));
        } else {
            java.math.BigDecimal q = QuantitySyntax.parse(capacity.get("storage"));
            if (q == null) {
                errs.add(FieldError.invalid("spec.capacity[storage]", CoreValidators.text(capacity.get("storage")), QuantitySyntax.FORMAT_ERROR));
            } else if (q.signum() <= 0) {
                errs.add(FieldError.invalid("spec.capacity[storage]", CoreValidators.text(capacity.get("storage")), "must be greater than zero"));
            }
        }
        Checks.optionalOneOf(Json.str(spec, "persistentVolumeReclaimPolicy"), List.of("Delete", "Recycle", "Retain"),
                "spec.persistentVolumeReclaimPolicy", errs);
        Checks.optionalOneOf(Json.str(spec, "volumeMode"), List.of("Block", "Filesystem"), "spec.volumeMode", errs);
        int found = 0;
        for (String s : SOURCES) {
            if (!Json.has(spec, s)) {
                continue;
            }
            if (found > 0) {
                errs.add(FieldError.forbidden(Paths.child("spec", s), "may not specify more than 1 volume type"));
                continue;
            }
            found++;
            ObjectNode src = Json.obj(spec, s);
            switch (s) {
                case "hostPath", "local" -> Checks.required(src, "path", Paths.child(Paths.child("spec", s), "path"), errs);
                case "nfs" -> {
                    Checks.required(src, "server", "spec.nfs.server", errs);
                    Checks.required(src, "path", "spec.nfs.path", errs);
                }
                case "csi" -> {
                    Checks.required(src, "driver", "spec.csi.driver", errs);
                    Checks.required(src, "volumeHandle", "spec.csi.volumeHandle", errs);
                }
                default -> { }
            }
            if (s.equals("local") && !Json.has(spec, "nodeAffinity")) {
                errs.add(FieldError.required("spec.nodeAffinity", "Local volume requires node affinity"));
            }
        }
        if (found == 0) {
            errs.add(FieldError.required("spec", "must specify a volume type"));
        }
        String storageClass = Json.str(spec, "storageClassName");
        if (storageClass != null && !storageClass.isEmpty()) {
            Checks.dns1123Subdomain(storageClass, "spec.storageClassName", errs);
        }
    }

    @Override
    void validateImmutable(ObjectNode pv, ObjectNode old, List<FieldError> errs) {
        ObjectNode spec = Json.obj(pv, "spec");
        ObjectNode oldSpec = Json.obj(old, "spec");
        for (String s : SOURCES) {
            if (!SemanticEquality.equal(spec == null ? null : spec.get(s), oldSpec == null ? null : oldSpec.get(s))) {
                errs.add(FieldError.forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
                break;
            }
        }
        Checks.immutable(Json.node(spec, "volumeMode"), Json.node(oldSpec, "volumeMode"), "volumeMode", errs);
    }
}
