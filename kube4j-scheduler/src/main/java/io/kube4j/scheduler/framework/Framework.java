package io.kube4j.scheduler.framework;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The plugins of one profile run at the extension points, in configured order. */
public interface Framework {
    String profileName();

    QueueSortPlugin queueSort();

    /** Sets the snapshot that {@link Handle#snapshot()} returns for this cycle. */
    void setSnapshot(Snapshot snapshot);

    Status runPreFilterPlugins(CycleState state, PodInfo pod);

    /** Filter plugins in order; stops at the first rejection. */
    Status runFilterPlugins(CycleState state, PodInfo pod, NodeInfo node);

    Status runPreFilterExtensionAddPod(CycleState state, PodInfo pod, PodInfo toAdd, NodeInfo node);

    Status runPreFilterExtensionRemovePod(CycleState state, PodInfo pod, PodInfo toRemove, NodeInfo node);

    boolean hasPostFilterPlugins();

    PostFilterResult runPostFilterPlugins(CycleState state, PodInfo pod, Map<String, Status> filteredNodeStatus);

    boolean hasScorePlugins();

    Status runPreScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes);

    /** Weighted sum of normalised scores, parallel to {@code nodes}. */
    long[] runScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes);

    Status runReservePluginsReserve(CycleState state, PodInfo pod, String nodeName);

    void runReservePluginsUnreserve(CycleState state, PodInfo pod, String nodeName);

    /** Success, a rejection, or WAIT (then call {@link #waitOnPermit}). */
    Status runPermitPlugins(CycleState state, PodInfo pod, String nodeName);

    Status waitOnPermit(PodInfo pod);

    /** Lets plugins (or tests) allow or reject a pod waiting at Permit. */
    WaitingPods waitingPods();

    Status runPreBindPlugins(CycleState state, PodInfo pod, String nodeName);

    Status runBindPlugins(CycleState state, PodInfo pod, String nodeName);

    void runPostBindPlugins(CycleState state, PodInfo pod, String nodeName);

    /** Events after which pods rejected by {@code plugin} may fit; null when the plugin did not say (any event). */
    Set<ClusterEvent> eventsFor(String plugin);

    /** Plugin names per extension point, for logs and tests. */
    Map<String, List<String>> listPlugins();
}
