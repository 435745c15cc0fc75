package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Rewrites an object's ownerReferences or finalizers with a JSON patch that first tests the
 * object's uid, so the patch fails instead of touching a recreated object of the same name.
 */
public final class OwnerReferencePatcher {
    private final KubernetesClient client;

    public OwnerReferencePatcher(KubernetesClient client) {
        this.client = client;
    }

    public <T extends HasMetadata> void setOwnerReferences(T obj, List<OwnerReference> refs) {
        String json = metadataPatch(obj.getMetadata().getUid(), null, "ownerReferences", refs);
        patch(obj, json);
    }

    /**
     * PATCHes the object by its name. Through {@code resource(obj)}, not {@code withName(name)}: fabric8 reads an
     * object it was not given before patching it, and a GET is not what upstream's controller roles allow (the job
     * controller may list, watch and patch pods, not get them: its finalizer removals were refused with 403).
     */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> void patch(T obj, String json) {
        var op = client.resources((Class<T>) obj.getClass());
        String ns = obj.getMetadata().getNamespace();
        (ns == null ? op.resource(obj) : op.inNamespace(ns).resource(obj)).patch(PatchContext.of(PatchType.JSON), json);
    }

    /**
     * A JSON patch (RFC 6902): "test" on the uid makes it a precondition, and "add" replaces the
     * whole list whether or not it exists. A merge patch is not used because list handling varies
     * between servers (some merge lists instead of replacing them).
     */
    private String metadataPatch(String uid, String resourceVersion, String field, List<?> value) {
        var json = client.getKubernetesSerialization();
        StringBuilder sb = new StringBuilder("[");
        sb.append("{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":").append(json.asJson(uid)).append("},");
        if (resourceVersion != null) {
            sb.append("{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":")
                    .append(json.asJson(resourceVersion)).append("},");
        }
        sb.append("{\"op\":\"add\",\"path\":\"/metadata/").append(field).append("\",\"value\":")
                .append(value == null || value.isEmpty() ? "[]" : json.asJson(value)).append("}]");
        return sb.toString();
    }

    /** Removes one finalizer without a resourceVersion guard (pods change too often for one). */
    public <T extends HasMetadata> void removeFinalizer(T obj, String finalizer) {
        List<String> finalizers = new java.util.ArrayList<>(obj.getMetadata().getFinalizers() == null ? List.of()
                : obj.getMetadata().getFinalizers());
        if (!finalizers.remove(finalizer)) {
            return;
        }
        String json = metadataPatch(obj.getMetadata().getUid(), null, "finalizers", finalizers);
        patch(obj, json);
    }

    /** Sets finalizers, guarded by the resourceVersion the caller saw. */
    public <T extends HasMetadata> void setFinalizers(T obj, List<String> finalizers) {
        String json = metadataPatch(obj.getMetadata().getUid(), obj.getMetadata().getResourceVersion(),
                "finalizers", finalizers);
        patch(obj, json);
    }
}
