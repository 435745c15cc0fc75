package io.kube4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.kubelet.status.Waiting;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/** The kubelet's memory of one pod between syncs. Only the pod's own sync touches it (one sync at a time). */
public final class PodWorker {
    final String uid;
    volatile Pod pod;
    /** The pod is gone from the API (or was force-deleted): kill it and forget it. */
    volatile boolean removed;
    final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    volatile Waiting terminalReason;
    boolean finished;
    /** The pod's containers being stopped (grace periods can be long): sync threads do not wait for it. */
    volatile java.util.concurrent.CompletableFuture<Void> killing;
    volatile long killGraceSeconds = Long.MAX_VALUE;
    /** A grace period that overrides the pod's (an eviction's); null for the pod's own. */
    volatile Long graceOverride;
    volatile java.time.Instant killEndedAt;
    /** Asks for a sync of this pod (set by PodWorkers). */
    volatile Runnable wake = () -> { };
    /** When this kubelet first saw the pod: pod start latency counts from here, as upstream's. */
    final java.time.Instant firstSeen = java.time.Instant.now();
    /** Told once, when the pod first goes from Pending to Running (set by PodWorkers). */
    volatile java.util.function.Consumer<java.time.Duration> started = d -> { };
    private volatile boolean startReported;
    /** Step timings of this pod's start, logged once it runs. */
    final PodStartTrace trace = new PodStartTrace();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodWorker.class);

    // scheduling, guarded by PodWorkers
    /** Whether a sync has run (the first is upstream's "create"); whether this one was the periodic resync. */
    volatile boolean synced;
    volatile boolean periodic;
    boolean running;
    boolean pending;
    ScheduledFuture<?> timer;

    PodWorker(Pod pod) {
        this.uid = pod.getMetadata().getUid();
        this.pod = pod;
    }

    public Pod pod() {
        return pod;
    }

    /**
     * The status phase the API had and the one just reported. Only a Pending (or new) pod turning Running counts as a
     * start: pods re-adopted Running after a kubelet restart do not.
     */
    void reportPhase(String before, String now) {
        if (!startReported && "Running".equals(now) && (before == null || before.isEmpty() || "Pending".equals(before))) {
            startReported = true;
            started.accept(java.time.Duration.between(firstSeen, java.time.Instant.now()));
            LOG.info("pod {}/{} started {} ms after it was seen ({})", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    trace.elapsedMillis(), trace.finish());
        } else if ("Running".equals(before)) {
            startReported = true;
            trace.finish();
        }
    }

    public Map<String, Waiting> waiting() {
        return waiting;
    }
}
