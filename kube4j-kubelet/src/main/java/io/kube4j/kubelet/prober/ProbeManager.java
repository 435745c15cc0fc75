package io.kube4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.kube4j.kubelet.kuberuntime.PodRuntimeState;
import io.kube4j.kubelet.kuberuntime.RuntimeContainer;
import io.kube4j.kubelet.metrics.ProbeCounts;
import io.kube4j.kubelet.status.ContainerHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One worker per (container instance, probe kind), as upstream's prober manager. Readiness starts failed, liveness
 * successful, startup unknown; liveness and readiness wait until startup has succeeded. A changed result asks the
 * pod's worker to sync.
 */
public final class ProbeManager implements ContainerHealth {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProbeManager.class);
    public enum Kind { LIVENESS, READINESS, STARTUP }

    private final Prober prober;
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> onChange;
    private final ProbeCounts counts;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<String, ProbeResult> results = new ConcurrentHashMap<>();
    /**
     * Where probes run. The scheduler only says when: it is the kubelet's shared timer pool (the PLEG relist, pod
     * re-syncs and back-off wake-ups, lease renewals), and an exec probe (a runc exec) or an HTTP probe waiting for its
     * timeout held one of its two threads, so everything else on it queued behind probes. Upstream runs a goroutine per
     * probe worker; idle threads here end after a minute.
     */
    private final ExecutorService running = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubelet-probe");
        t.setDaemon(true);
        return t;
    });

    /** @param counts where every probe run is counted by result ({@code /metrics/probes}) */
    public ProbeManager(Prober prober, ScheduledExecutorService scheduler, Consumer<String> onChange, ProbeCounts counts) {
        this.prober = prober;
        this.scheduler = scheduler;
        this.onChange = onChange;
        this.counts = counts;
    }

    private static String key(String podUid, String name, String id, Kind kind) {
        return podUid + "/" + name + "/" + id + "/" + kind;
    }

    @Override
    public boolean ready(String podUid, String name, String id) {
        String key = key(podUid, name, id, Kind.READINESS);
        return !workers.containsKey(key) || results.get(key) == ProbeResult.SUCCESS;
    }

    @Override
    public boolean started(String podUid, String name, String id) {
        if (!workers.containsKey(key(podUid, name, id, Kind.STARTUP))) {
            return true;
        }
        return results.get(key(podUid, name, id, Kind.STARTUP)) == ProbeResult.SUCCESS;
    }

    public boolean livenessFailed(String podUid, String name, String id) {
        return results.get(key(podUid, name, id, Kind.LIVENESS)) == ProbeResult.FAILURE
                || results.get(key(podUid, name, id, Kind.STARTUP)) == ProbeResult.FAILURE;
    }

    /** Starts workers for running containers with probes; stops those whose container is gone. */
    public void sync(Pod pod, PodRuntimeState rt) {
        String uid = pod.getMetadata().getUid();
        Set<String> wanted = new HashSet<>();
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(all::add);
        }
        for (Container c : all) {
            RuntimeContainer rc = rt.latest(c.getName()).filter(RuntimeContainer::running).orElse(null);
            if (rc == null) {
                continue;
            }
            Instant started = Instant.ofEpochSecond(0, rc.status().getStartedAt());
            for (Kind kind : Kind.values()) {
                Probe probe = switch (kind) {
                    case LIVENESS -> c.getLivenessProbe();
                    case READINESS -> c.getReadinessProbe();
                    case STARTUP -> c.getStartupProbe();
                };
                if (probe == null) {
                    continue;
                }
                String key = key(uid, c.getName(), rc.id(), kind);
                wanted.add(key);
                workers.computeIfAbsent(key, k -> {
                    results.put(k, switch (kind) {
                        case LIVENESS -> ProbeResult.SUCCESS;
                        case READINESS -> ProbeResult.FAILURE;
                        case STARTUP -> ProbeResult.UNKNOWN;
                    });
                    Worker w = new Worker(k, pod, c, rc.id(), kind, probe, rt.podIp(), started);
                    w.start();
                    return w;
                });
            }
        }
        for (var e : workers.entrySet()) {
            if (e.getKey().startsWith(uid + "/") && !wanted.contains(e.getKey())) {
                Worker gone = e.getValue();
                gone.stop();
                workers.remove(e.getKey());
                results.remove(e.getKey());
                // a restarted container's new worker counts on in the same series
                if (workers.values().stream().noneMatch(w -> w.sameSeries(gone))) {
                    counts.forget(gone.probeType(), uid, gone.container.getName());
                }
            }
        }
    }

    public void forget(String podUid) {
        workers.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(podUid + "/")) {
                e.getValue().stop();
                return true;
            }
            return false;
        });
        results.keySet().removeIf(k -> k.startsWith(podUid + "/"));
        counts.forgetPod(podUid);
    }

    public void close() {
        workers.values().forEach(Worker::stop);
        workers.clear();
        running.shutdownNow();
    }

    private final class Worker {
        private final String key;
        private final String podUid;
        private final String podNamespace;
        private final String podName;
        private final Container container;
        private final String containerId;
        private final Kind kind;
        private final Probe probe;
        private final String podIp;
        private final Instant containerStarted;
        private int successes;
        private int failures;
        private volatile ScheduledFuture<?> future;
        private volatile boolean stopped;
        private final AtomicBoolean busy = new AtomicBoolean();

        Worker(String key, Pod pod, Container container, String containerId, Kind kind, Probe probe, String podIp, Instant started) {
            this.key = key;
            this.podUid = pod.getMetadata().getUid();
            this.podNamespace = pod.getMetadata().getNamespace();
            this.podName = pod.getMetadata().getName();
            this.container = container;
            this.containerId = containerId;
            this.kind = kind;
            this.probe = probe;
            this.podIp = podIp;
            this.containerStarted = started;
        }

        void start() {
            int period = probe.getPeriodSeconds() == null || probe.getPeriodSeconds() < 1 ? 10 : probe.getPeriodSeconds();
            // Upstream starts workers at a random point of the first period, so probes of many pods spread out.
            long firstDelayMs = (long) (Math.random() * Math.min(period, 1) * 1000);
            future = scheduler.scheduleWithFixedDelay(this::tick, firstDelayMs, period * 1000L, TimeUnit.MILLISECONDS);
        }

        /** On the timer: hands the probe to the probe threads, unless the previous one still runs (it then skips a period). */
        private void tick() {
            if (stopped || !busy.compareAndSet(false, true)) {
                return;
            }
            try {
                ProbeManager.this.running.execute(() -> {
                    try {
                        run();
                    } catch (RuntimeException e) {
                        LOG.warn("probe {} failed: {}", key, e.toString());
                    } finally {
                        busy.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                busy.set(false); // closing
            }
        }

        /** Upstream's probe_type label: Liveness, Readiness or Startup. */
        String probeType() {
            return kind.name().charAt(0) + kind.name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }

        boolean sameSeries(Worker other) {
            return kind == other.kind && podUid.equals(other.podUid) && container.getName().equals(other.container.getName());
        }

        void stop() {
            stopped = true;
            if (future != null) {
                future.cancel(false);
            }
        }

        private void run() {
            if (stopped) {
                return;
            }
            if (kind != Kind.STARTUP && !started(podUid, container.getName(), containerId)) {
                return;
            }
            int initialDelay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
            if (Duration.between(containerStarted, Instant.now()).getSeconds() < initialDelay) {
                return;
            }
            ProbeResult previous = results.get(key);
            if (kind == Kind.STARTUP && previous == ProbeResult.SUCCESS) {
                return; // startup probes stop once they succeed
            }
            ProbeResult r = prober.probe(probe, container, containerId, podIp);
            counts.record(probeType(), switch (r) {
                case SUCCESS -> "successful";
                case FAILURE -> "failed";
                case UNKNOWN -> "unknown";
            }, podNamespace, podName, podUid, container.getName());
            if (r == ProbeResult.UNKNOWN) {
                return;
            }
            int successThreshold = probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
            int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
            if (r == ProbeResult.SUCCESS) {
                successes++;
                failures = 0;
                if (successes >= successThreshold || previous == ProbeResult.SUCCESS) {
                    set(ProbeResult.SUCCESS, previous);
                }
            } else {
                failures++;
                successes = 0;
                if (failures >= failureThreshold) {
                    set(ProbeResult.FAILURE, previous);
                }
            }
        }

        private void set(ProbeResult r, ProbeResult previous) {
            if (stopped) {
                return;
            }
            results.put(key, r);
            if (r != previous) {
                onChange.accept(podUid);
            }
            if (r == ProbeResult.FAILURE && (kind == Kind.LIVENESS || kind == Kind.STARTUP)) {
                // the container is restarted; a new instance gets new workers
                stop();
            }
        }
    }
}
