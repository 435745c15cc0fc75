package io.kube4j.scheduler.queue;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.QueuedPodInfo;

/** Decides whether a cluster event may make an unschedulable pod schedulable (upstream's queueing hints, coarse). */
@FunctionalInterface
public interface EventInterest {
    EventInterest ANY = (p, e) -> true;

    boolean mayHelp(QueuedPodInfo pod, ClusterEvent event);
}
