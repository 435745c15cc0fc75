package io.kube4j.apiserver.admission;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * StorageObjectInUseProtection: every new PersistentVolumeClaim gets the {@code kubernetes.io/pvc-protection}
 * finalizer and every new PersistentVolume {@code kubernetes.io/pv-protection}, so that deleting one still in use
 * only marks it: the pvc-protection controller lets a claim go once no pod uses it, the pv-protection controller a
 * volume once it is no longer Bound.
 */
public final class StorageObjectInUseProtectionAdmission implements MutatingAdmission {

    public static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
    public static final String PV_PROTECTION = "kubernetes.io/pv-protection";

    @Override
    public String name() {
        return "StorageObjectInUseProtection";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || request.object() == null) {
            return;
        }
        if (request.isCore("persistentvolumeclaims")) {
            addFinalizer(request.object(), PVC_PROTECTION);
        } else if (request.isCore("persistentvolumes")) {
            addFinalizer(request.object(), PV_PROTECTION);
        }
    }

    private static void addFinalizer(ObjectNode object, String finalizer) {
        JsonNode metadata = object.get("metadata");
        // malformed metadata or finalizers are validation's to refuse, not ours to overwrite
        if (metadata != null && !metadata.isObject()) {
            return;
        }
        ObjectNode meta = metadata == null ? object.putObject("metadata") : (ObjectNode) metadata;
        JsonNode existing = meta.get("finalizers");
        if (existing != null && !existing.isNull() && !existing.isArray()) {
            return;
        }
        ArrayNode finalizers = existing instanceof ArrayNode array ? array : meta.putArray("finalizers");
        for (JsonNode f : finalizers) {
            if (f.isString() && finalizer.equals(f.asString())) {
                return;
            }
        }
        finalizers.add(finalizer);
    }
}
