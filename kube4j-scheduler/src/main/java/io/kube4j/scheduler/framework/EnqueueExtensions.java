package io.kube4j.scheduler.framework;

import java.util.Set;

/** Plugins that reject pods say which cluster events may make those pods schedulable again. */
public interface EnqueueExtensions {
    Set<ClusterEvent> eventsToRegister();
}
