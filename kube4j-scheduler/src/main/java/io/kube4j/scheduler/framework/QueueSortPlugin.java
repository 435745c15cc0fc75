package io.kube4j.scheduler.framework;

/** Orders pods in the active queue. */
public interface QueueSortPlugin extends Plugin {
    /** True when {@code a} should be scheduled before {@code b}. */
    boolean less(QueuedPodInfo a, QueuedPodInfo b);
}
