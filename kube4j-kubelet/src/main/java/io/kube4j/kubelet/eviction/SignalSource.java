package io.kube4j.kubelet.eviction;

import java.util.Map;

/** Where the eviction manager reads the node and its pods from; tests give their own. */
public interface SignalSource {
    NodeObservations node();

    /** Usage of the pods the runtime runs, by pod UID. */
    Map<String, PodUsage> pods();
}
