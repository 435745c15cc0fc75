package io.kube4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker per pod, run on a shared pool: at most one sync of a pod at a time, and a sync asked for while one runs
 * happens right after it (requests coalesce). Each pod is also re-synced at the regular interval.
 */
public final class PodWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

    private final PodSyncer syncer;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final Duration resync;
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final io.kube4j.kubelet.metrics.KubeletMetrics metrics;

    public PodWorkers(PodSyncer syncer, ExecutorService pool, ScheduledExecutorService timers, Duration resync) {
        this(syncer, pool, timers, resync, null);
    }

    /** @param metrics where pod start latency and sync durations go; null records none */
    public PodWorkers(PodSyncer syncer, ExecutorService pool, ScheduledExecutorService timers, Duration resync,
                      io.kube4j.kubelet.metrics.KubeletMetrics metrics) {
        this.syncer = syncer;
        this.pool = pool;
        this.timers = timers;
        this.resync = resync;
        this.metrics = metrics;
    }

    /** The pod was added or changed in the API. */
    public void update(Pod pod) {
        PodWorker w = workers.compute(pod.getMetadata().getUid(), (uid, existing) -> {
            if (existing == null) {
                PodWorker created = new PodWorker(pod);
                created.wake = () -> request(created);
                if (metrics != null) {
                    created.started = metrics::podStarted;
                }
                return created;
            }
            existing.pod = pod;
            return existing;
        });
        request(w);
    }

    /** The pod is gone from the API. */
    public void remove(Pod pod) {
        PodWorker w = workers.get(pod.getMetadata().getUid());
        if (w != null) {
            w.pod = pod;
            w.removed = true;
            request(w);
        }
    }

    public void requestSync(String uid) {
        PodWorker w = workers.get(uid);
        if (w != null) {
            request(w);
        }
    }

    /**
     * Ends a pod on the kubelet's own decision (eviction): it is stopped with the given grace period and ends Failed
     * with this reason and message. Returns false when this kubelet does not run the pod.
     */
    public boolean fail(String uid, io.kube4j.kubelet.status.Waiting reason, long graceSeconds) {
        PodWorker w = workers.get(uid);
        if (w == null || w.finished) {
            return false;
        }
        w.graceOverride = graceSeconds;
        w.terminalReason = reason;
        request(w);
        return true;
    }

    /** The pods this kubelet runs and has not decided to end: what eviction chooses from. */
    public List<Pod> active() {
        return workers.values().stream().filter(w -> !w.finished && !w.removed && w.terminalReason == null)
                .map(w -> w.pod)
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && (p.getStatus() == null
                        || !("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase()))))
                .toList();
    }

    public boolean knows(String uid) {
        return workers.containsKey(uid);
    }

    public Collection<PodWorker> all() {
        return List.copyOf(workers.values());
    }

    private void request(PodWorker w) {
        synchronized (w) {
            if (closed || w.finished) {
                return;
            }
            if (w.running) {
                w.pending = true;
                return;
            }
            w.running = true;
            if (w.timer != null) {
                w.timer.cancel(false);
                w.timer = null;
            }
        }
        w.trace.mark("idle");
        try {
            pool.execute(() -> run(w));
        } catch (RejectedExecutionException e) {
            synchronized (w) {
                w.running = false;
            }
        }
    }

    private void run(PodWorker w) {
        Duration next = null;
        String operation = syncType(w);
        long began = System.nanoTime();
        w.trace.mark("queued");
        try {
            next = syncer.sync(w);
        } catch (RuntimeException e) {
            LOG.warn("sync of pod {}/{} failed: {}", w.pod.getMetadata().getNamespace(), w.pod.getMetadata().getName(), e.toString());
            LOG.debug("sync failure", e);
            next = Duration.ofSeconds(2);
        } finally {
            w.synced = true;
            w.periodic = false;
            if (metrics != null) {
                metrics.podWorkerSync(operation, Duration.ofNanos(System.nanoTime() - began));
            }
        }
        boolean again;
        synchronized (w) {
            w.running = false;
            again = w.pending;
            w.pending = false;
            if (w.finished) {
                workers.remove(w.uid, w);
                return;
            }
            if (!again && !closed) {
                Duration delay = next == null ? resync : next;
                try {
                    w.timer = timers.schedule(() -> {
                        w.periodic = true;
                        request(w);
                    }, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // shutting down
                }
            }
        }
        if (again) {
            request(w);
        }
    }

    /** Upstream's pod worker update types: create (first sync), kill, sync (periodic), update (anything else). */
    private static String syncType(PodWorker w) {
        if (!w.synced) {
            return "create";
        }
        if (w.removed || w.terminalReason != null || w.pod.getMetadata().getDeletionTimestamp() != null) {
            return "kill";
        }
        return w.periodic ? "sync" : "update";
    }

    public void close() {
        closed = true;
        for (PodWorker w : workers.values()) {
            synchronized (w) {
                if (w.timer != null) {
                    w.timer.cancel(false);
                }
            }
        }
    }
}
