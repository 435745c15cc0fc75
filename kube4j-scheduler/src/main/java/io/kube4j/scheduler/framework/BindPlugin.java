package io.kube4j.scheduler.framework;

/** Binds the pod to the node; {@link Status#skip()} passes to the next bind plugin. */
public interface BindPlugin extends Plugin {
    Status bind(CycleState state, PodInfo pod, String nodeName);
}
