package io.kube4j.scheduler.framework;

/** Claims resources for the pod on the chosen node before binding; Unreserve undoes it on failure. */
public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, PodInfo pod, String nodeName);

    void unreserve(CycleState state, PodInfo pod, String nodeName);
}
