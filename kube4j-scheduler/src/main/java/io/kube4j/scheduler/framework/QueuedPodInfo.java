package io.kube4j.scheduler.framework;

import java.util.HashSet;
import java.util.Set;

/** A pod in the scheduling queue with its attempt bookkeeping. */
public final class QueuedPodInfo {
    private PodInfo podInfo;
    /** When the pod was (re)added to a queue: the activeQ tie-breaker and the backoff anchor. */
    public long timestampMillis;
    public long initialAttemptMillis;
    /** When the pod first entered the queue (scheduling SLI start). */
    public final long enqueuedMillis;
    public int attempts;
    /** Plugins that rejected the pod in its last attempt; decides which events re-queue it. */
    public final Set<String> unschedulablePlugins = new HashSet<>();
    /** Set by the queue while the pod is being scheduled; reset when it is popped again. */
    public boolean gated;

    public QueuedPodInfo(PodInfo podInfo, long nowMillis) {
        this.podInfo = podInfo;
        this.timestampMillis = nowMillis;
        this.initialAttemptMillis = 0;
        this.enqueuedMillis = nowMillis;
    }

    public PodInfo podInfo() { return podInfo; }
    public void setPodInfo(PodInfo p) { podInfo = p; }
    public String key() { return podInfo.key(); }

    @Override public String toString() { return podInfo.key() + "(attempts=" + attempts + ")"; }
}
