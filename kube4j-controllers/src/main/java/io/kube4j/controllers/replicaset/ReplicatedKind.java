package io.kube4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;

/**
 * What the replica-set logic needs to know about a kind it manages, so that ReplicaSets and
 * ReplicationControllers share one controller (upstream converts RCs to RSs for the same reason).
 */
public interface ReplicatedKind<T extends HasMetadata> {
    Class<T> type();

    String kind();

    String controllerName();

    int replicas(T obj);

    int minReadySeconds(T obj);

    boolean selects(T obj, Map<String, String> labels);

    PodTemplateSpec template(T obj);

    ReplicaCounts status(T obj);

    /** A copy of obj carrying the given status. */
    T withStatus(T obj, ReplicaCounts status, Instant now);

    void updateStatus(KubernetesClient client, T obj);

    T getFresh(KubernetesClient client, String namespace, String name);
}
