package io.kube4j.scheduler.framework;

import java.util.List;

/** Runs once per cycle with the feasible nodes before Score. {@link Status#skip()} skips this plugin's Score. */
public interface PreScorePlugin extends Plugin {
    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes);
}
