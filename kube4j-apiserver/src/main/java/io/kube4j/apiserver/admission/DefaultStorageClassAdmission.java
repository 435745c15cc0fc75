package io.kube4j.apiserver.admission;

import io.kube4j.api.storage.DefaultStorageClass;
import io.kube4j.api.storage.VolumeMatching;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * DefaultStorageClass: a new PersistentVolumeClaim that names no class at all (neither {@code spec.storageClassName}
 * nor the beta annotation; an explicit "" is a choice and is kept) gets the default StorageClass, the newest one
 * annotated {@code storageclass.kubernetes.io/is-default-class: "true"}. Without a default class the claim is left as
 * it is; the PV binder gives it the default later, once there is one.
 */
public final class DefaultStorageClassAdmission implements MutatingAdmission {

    private final ObjectLookup lookup;

    public DefaultStorageClassAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "DefaultStorageClass";
    }

    @Override
    public void admit(AdmissionRequest request) {
        ObjectNode claim = request.object();
        if (request.operation() != Operation.CREATE || !request.isCore("persistentvolumeclaims") || claim == null) {
            return;
        }
        JsonNode spec = claim.get("spec");
        // a malformed spec is validation's to refuse, with its own message
        if (spec != null && !spec.isNull() && !spec.isObject()) {
            return;
        }
        if (hasClass(claim)) {
            return;
        }
        Optional<ObjectNode> dflt = DefaultStorageClass.choose(lookup.list("storageclasses", null),
                sc -> Json.stringMap(sc.path("metadata").path("annotations")),
                sc -> Json.text(sc, "metadata", "creationTimestamp"),
                sc -> Json.text(sc, "metadata", "name"));
        dflt.ifPresent(sc -> Json.child(claim, "spec").put("storageClassName", Json.text(sc, "metadata", "name")));
    }

    /** Upstream's PersistentVolumeClaimHasClass: the beta annotation's presence, or any storageClassName (even ""). */
    static boolean hasClass(ObjectNode claim) {
        JsonNode annotations = claim.path("metadata").path("annotations");
        if (annotations.isObject() && annotations.has(VolumeMatching.BETA_CLASS_ANNOTATION)) {
            return true;
        }
        JsonNode name = claim.path("spec").get("storageClassName");
        return name != null && !name.isNull();
    }
}
