package io.kube4j.scheduler.framework;

/** Updates a plugin's pre-filter state as if a pod were added to or removed from a node. */
public interface PreFilterExtensions {
    Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo);

    Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo);
}
