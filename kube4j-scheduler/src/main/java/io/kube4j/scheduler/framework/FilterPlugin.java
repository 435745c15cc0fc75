package io.kube4j.scheduler.framework;

/** Decides whether the pod may run on one node. Called in parallel over nodes: must be thread-safe. */
public interface FilterPlugin extends Plugin {
    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
