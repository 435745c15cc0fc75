package io.kube4j.scheduler.framework;

import java.util.Map;

/** Runs when no node passed Filter (preemption). */
public interface PostFilterPlugin extends Plugin {
    PostFilterResult postFilter(CycleState state, PodInfo pod, Map<String, Status> filteredNodeStatus);
}
