package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.ResetFields;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Deployments, replica sets, stateful sets, daemon sets, jobs, replication controllers: status starts empty. */
public final class WorkloadStrategy extends DefaultStrategy {

    private static final Set<String> DEPLOYMENT_STATUS_METADATA = Set.of("annotations", "finalizers",
            "ownerReferences");

    public WorkloadStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
        if (type.kind().equals("ReplicationController") || type.kind().equals("ReplicaSet")
                || type.kind().equals("StatefulSet")) {
            obj.putObject("status").put("replicas", 0);
        }
    }

    /** Upstream's deploymentStatusStrategy keeps the stored labels too; the other workloads' reset spec only. */
    @Override
    public Set<String> statusWritableMetadata() {
        return type.kind().equals("Deployment") ? DEPLOYMENT_STATUS_METADATA : USER_METADATA;
    }

    /**
     * Upstream's deploymentStatusStrategy.GetResetFields: spec and metadata.labels, so a status apply neither owns
     * nor conflicts on labels it cannot change; the other workloads' status strategies reset spec only.
     */
    @Override
    public FieldSet resetFields(boolean statusSubresource) {
        return statusSubresource && type.kind().equals("Deployment") ? ResetFields.of("spec", "metadata.labels")
                : super.resetFields(statusSubresource);
    }

    @Override
    public Set<String> selectableFields() {
        return type.kind().equals("ReplicaSet") || type.kind().equals("ReplicationController")
                ? Set.of("status.replicas") : type.kind().equals("Job") ? Set.of("status.successful") : Set.of();
    }
}
