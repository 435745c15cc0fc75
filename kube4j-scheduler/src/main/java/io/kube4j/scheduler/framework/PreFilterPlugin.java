package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Runs once per cycle before Filter; may reject the pod for every node or skip its Filter. */
public interface PreFilterPlugin extends Plugin {
    /** Returning {@link Status#skip()} skips this plugin's Filter for the cycle. */
    Status preFilter(CycleState state, PodInfo pod);

    /** Incremental updates of the pre-filter state, used by preemption's what-if evaluation; null if not needed. */
    default PreFilterExtensions preFilterExtensions() { return null; }
}
