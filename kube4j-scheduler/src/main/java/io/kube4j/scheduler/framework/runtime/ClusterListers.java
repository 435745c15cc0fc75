package io.kube4j.scheduler.framework.runtime;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.util.Selector;

import java.util.List;
import java.util.Map;

/** Read access to cluster objects other than pods and nodes (informer caches in production). */
public interface ClusterListers {
    ClusterListers EMPTY = new ClusterListers() {};

    default Map<String, String> namespaceLabels(String namespace) { return null; }

    default List<Selector> ownerSelectors(Pod pod) { return List.of(); }

    default List<Handle.DisruptionBudget> disruptionBudgets() { return List.of(); }

    default PersistentVolumeClaim pvc(String namespace, String name) { return null; }

    default List<PersistentVolume> persistentVolumes() { return List.of(); }

    /** See {@link Handle#onClaimChange}. */
    default void onClaimChange(Runnable listener) { }

    default StorageClass storageClass(String name) { return null; }
}
