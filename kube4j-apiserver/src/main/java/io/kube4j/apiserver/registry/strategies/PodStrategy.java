package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.GracefulDeletion;
import io.kube4j.apiserver.registry.ResetFields;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Pods: status starts Pending, deletion is graceful once scheduled, and the fields kubelets select on. */
public final class PodStrategy extends DefaultStrategy implements GracefulDeletion {

    private static final Set<String> FIELDS = Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
            "status.nominatedNodeName");

    private static final Set<String> STATUS_METADATA = Set.of("labels", "annotations", "finalizers");

    /** The subresource through which debugging containers are added to a running pod. */
    public static final String EPHEMERAL_CONTAINERS = "ephemeralcontainers";

    public PodStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        // A new pod is Pending whatever status the client sent. Its QoS class is left to the pod defaults, which run
        // next and compute it from the defaulted requests (limits copied to absent requests), as upstream's
        // PrepareForCreate sees them: "cpu: 1" against "cpu: 1000m" is Guaranteed.
        ObjectNode status = Json.object();
        status.put("phase", "Pending");
        obj.set("status", status);
    }

    /**
     * pods/ephemeralcontainers changes spec.ephemeralContainers and nothing else: everything else of the request is
     * dropped for the stored pod's, as upstream's dropNonEphemeralContainerUpdates (the resourceVersion was already
     * compared with the stored one).
     */
    @Override
    public void prepareForSubresourceUpdate(String subresource, ObjectNode obj, ObjectNode old) {
        if (!subresource.equals(EPHEMERAL_CONTAINERS)) {
            super.prepareForSubresourceUpdate(subresource, obj, old);
            return;
        }
        var requested = obj.path("spec").path("ephemeralContainers");
        // the metadata node itself stays: the registry goes on preparing it (resourceVersion, managedFields)
        ObjectNode metadata = Json.metadata(obj);
        metadata.removeAll();
        metadata.setAll(Json.metadata(old).deepCopy());
        for (String field : java.util.List.copyOf(obj.propertyNames())) {
            if (!field.equals("metadata")) {
                obj.remove(field);
            }
        }
        for (var field : old.properties()) {
            if (!field.getKey().equals("metadata")) {
                obj.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        ObjectNode spec = Json.child(obj, "spec");
        if (requested.isArray() && !requested.isEmpty()) {
            spec.set("ephemeralContainers", requested.deepCopy());
        } else {
            spec.remove("ephemeralContainers");
        }
    }

    @Override
    public Set<String> selectableFields() {
        return FIELDS;
    }

    /**
     * Upstream's podStatusStrategy keeps the stored owner references (old kubelets corrupted them, breaking garbage
     * collection); labels, annotations and finalizers follow the request.
     */
    @Override
    public Set<String> statusWritableMetadata() {
        return STATUS_METADATA;
    }

    /** Upstream's podStatusStrategy.GetResetFields: spec, metadata.deletionTimestamp and metadata.ownerReferences. */
    @Override
    public FieldSet resetFields(boolean statusSubresource) {
        return statusSubresource ? ResetFields.of("spec", "metadata.deletionTimestamp", "metadata.ownerReferences")
                : super.resetFields(false);
    }

    @Override
    public String fieldValue(ObjectNode obj, String field) {
        if (field.equals("spec.hostNetwork")) {
            return Boolean.toString(obj.path("spec").path("hostNetwork").asBoolean(false));
        }
        if (field.equals("status.podIPs")) {
            return obj.path("status").path("podIPs").path(0).path("ip").asString("");
        }
        return super.fieldValue(obj, field);
    }

    @Override
    public long gracePeriod(ObjectNode obj, DeleteOptions options) {
        String nodeName = Json.text(obj, "spec", "nodeName");
        String phase = Json.text(obj, "status", "phase");
        if (nodeName == null || nodeName.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            return 0;
        }
        if (options.gracePeriodSeconds() != null) {
            return options.gracePeriodSeconds();
        }
        return obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }
}
