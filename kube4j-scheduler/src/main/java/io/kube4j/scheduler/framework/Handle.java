package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.util.Selector;

import java.util.List;
import java.util.Map;

/** What a plugin may use beyond its arguments: the cycle's snapshot, the cluster client, listers. */
public interface Handle {
    /** The snapshot of the current scheduling cycle. */
    Snapshot snapshot();

    Parallelizer parallelizer();

    /** May be null in unit tests. */
    KubernetesClient client();

    /** The framework of the profile the plugin belongs to (preemption runs its filters). */
    Framework framework();

    /** Labels of a namespace, null when unknown. */
    default Map<String, String> namespaceLabels(String namespace) { return null; }

    /** Selectors of the Services, ReplicaSets, StatefulSets and ReplicationControllers that select the pod. */
    default List<Selector> ownerSelectors(Pod pod) { return List.of(); }

    /** PodDisruptionBudgets: (namespace, selector, disruptionsAllowed). */
    default List<DisruptionBudget> disruptionBudgets() { return List.of(); }

    default io.fabric8.kubernetes.api.model.PersistentVolumeClaim pvc(String namespace, String name) { return null; }

    default List<io.fabric8.kubernetes.api.model.PersistentVolume> persistentVolumes() { return List.of(); }

    /**
     * Runs {@code listener} on every PersistentVolumeClaim event, after {@link #pvc} reflects it (a plugin waiting
     * for a claim to change waits on these instead of polling); never called where claims are not watched.
     */
    default void onClaimChange(Runnable listener) { }

    default io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(String name) { return null; }

    record DisruptionBudget(String namespace, String name, Selector selector, int disruptionsAllowed) {}
}
