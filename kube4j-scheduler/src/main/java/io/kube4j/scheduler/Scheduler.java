package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.config.Profile;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FitError;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostFilterResult;
import io.kube4j.scheduler.framework.QueuedPodInfo;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.plugins.defaultbinder.DefaultBinder;
import io.kube4j.scheduler.profile.ProfileBuilder;
import io.kube4j.scheduler.queue.SchedulingQueue;
import io.kube4j.scheduler.watch.PodHeader;
import io.kube4j.scheduler.watch.PodWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * kube4j's scheduler: informers (nodes, cluster objects) and a {@link PodWatch} (pods, decoded only when needed)
 * feed a cache and the scheduling queue; one loop pops a pod, filters nodes
 * of a snapshot in parallel, scores the feasible ones, assumes the pod on the best node and binds it
 * asynchronously. Only the Lease holder schedules.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final KubernetesClient client;
    private final SchedulerOptions opts;
    private final SchedulerConfiguration config;
    private final Map<String, FrameworkImpl> frameworks = new LinkedHashMap<>();
    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingQueue queue;
    private final Parallelizer parallelizer;
    private final InformerListers listers = new InformerListers();
    private final EventRecorder recorder;
    private final SchedulerMetrics metrics = new SchedulerMetrics();
    private final ExecutorService binders;
    private final ScheduledExecutorService ticker;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile PodWatch podWatch;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread loop;
    private volatile CompletableFuture<?> election;
    private int nextStartNodeIndex;
    private final NominatedPods nominated = new NominatedPods();
    private final SchedulingAlgorithm algorithm;
    private MetricsServer metricsServer;

    private Scheduler(KubernetesClient client, SchedulerOptions opts) {
        this.client = client;
        this.opts = opts;
        this.config = opts.configuration();
        this.parallelizer = new Parallelizer(Math.min(config.parallelism(), Math.max(2, Runtime.getRuntime().availableProcessors())));
        ClusterListers l = opts.watchClusterObjects() ? listers : ClusterListers.EMPTY;
        for (Profile p : config.profiles()) {
            FrameworkImpl fw = ProfileBuilder.build(p, parallelizer, client, l);
            if (opts.binder() != null) {
                fw.disable(FrameworkImpl.Point.BIND, DefaultBinder.NAME);
                fw.enable(FrameworkImpl.Point.BIND, opts.binder(), 0);
            }
            frameworks.put(p.schedulerName(), fw);
            LOG.info("Scheduler profile {}: {}", p.schedulerName(), fw.listPlugins());
        }
        FrameworkImpl first = frameworks.values().iterator().next();
        this.queue = new SchedulingQueue(first.queueSort(), opts.clock(), this::mayHelp,
                config.podInitialBackoff(), config.podMaxBackoff(), java.time.Duration.ofMinutes(5));
        this.recorder = new EventRecorder(client, opts.identity(), 2);
        this.binders = Executors.newFixedThreadPool(16, daemon("scheduler-binder"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("scheduler-queue-flush"));
        metrics.gauges(queue::activeSize, queue::backoffSize, queue::unschedulableSize);
        this.algorithm = new SchedulingAlgorithm(parallelizer, nominated);
    }

    private int percentageToScore(Framework fw) {
        for (Profile p : config.profiles()) {
            if (p.schedulerName().equals(fw.profileName()) && p.percentageOfNodesToScore() != null) return p.percentageOfNodesToScore();
        }
        return config.percentageOfNodesToScore();
    }

    /**
     * Starts a scheduler: informers, then (after winning the Lease when leader election is on) the
     * scheduling loop. Returns once the pod and node caches are synced. Close the result to stop.
     */
    public static Scheduler start(KubernetesClient client, SchedulerOptions opts) {
        Scheduler s = new Scheduler(client, opts);
        try {
            s.startInformers();
            s.ticker.scheduleWithFixedDelay(s.queue::flushBackoffQCompleted, 200, 200, TimeUnit.MILLISECONDS);
            s.ticker.scheduleWithFixedDelay(s.queue::flushUnschedulablePodsLeftover, 30, 30, TimeUnit.SECONDS);
            if (opts.metricsPort() >= 0) s.metricsServer = MetricsServer.start(opts.metricsHost(), opts.metricsPort(), s::metricsText);
            if (opts.leaderElect()) s.startElection();
            else s.startLoop();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------- informers ----------------

    private void startInformers() {
        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override public void onAdd(Node n) {
                cache.addNode(n);
                queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
            }
            @Override public void onUpdate(Node o, Node n) {
                if (!nodeSchedulingPropertiesChanged(o, n)) return;
                cache.updateNode(n);
                queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_UPDATE);
            }
            @Override public void onDelete(Node n, boolean unknown) { cache.removeNode(n); }
        });
        informers.add(nodes);
        if (opts.watchClusterObjects()) {
            listers.namespaces = optional(() -> client.namespaces().runnableInformer(0));
            listers.services = optional(() -> client.services().inAnyNamespace().runnableInformer(0));
            listers.replicaSets = optional(() -> client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
            listers.statefulSets = optional(() -> client.apps().statefulSets().inAnyNamespace().runnableInformer(0));
            listers.pdbs = optional(() -> client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0));
            listers.pvcs = optional(() -> client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0), ClusterEvent.PVC_CHANGE);
            // VolumeBinding's PreBind waits on these for the claims it pre-bound to be bound
            if (listers.pvcs != null) listers.pvcs.addEventHandler(listers.claimEvents());
            listers.pvs = optional(() -> client.persistentVolumes().runnableInformer(0), ClusterEvent.PV_CHANGE);
            listers.storageClasses = optional(() -> client.storage().v1().storageClasses().runnableInformer(0), ClusterEvent.STORAGE_CLASS_CHANGE);
        }
        // Nodes first so that bound pods land on known nodes.
        nodes.start().toCompletableFuture().join();
        podWatch = PodWatch.start(client, new PodEvents());
    }

    /** Optional listers: a cluster without the resource (or RBAC for it) only loses the feature. */
    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> SharedIndexInformer<T> optional(java.util.function.Supplier<SharedIndexInformer<T>> f) {
        return optional(f, null);
    }

    /** With an event: any change of these objects retries the unschedulable pods interested in it. */
    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> SharedIndexInformer<T> optional(java.util.function.Supplier<SharedIndexInformer<T>> f, ClusterEvent event) {
        try {
            SharedIndexInformer<T> inf = f.get();
            if (event != null) {
                inf.addEventHandler(new ResourceEventHandler<T>() {
                    @Override public void onAdd(T o) { queue.moveAllToActiveOrBackoffQueue(event); }
                    @Override public void onUpdate(T o, T n) { queue.moveAllToActiveOrBackoffQueue(event); }
                    @Override public void onDelete(T o, boolean unknown) { queue.moveAllToActiveOrBackoffQueue(event); }
                });
            }
            informers.add(inf);
            inf.start().exceptionally(e -> {
                LOG.warn("informer failed: {}", e.getMessage());
                return null;
            });
            return inf;
        } catch (RuntimeException e) {
            LOG.warn("cannot watch cluster objects: {}", e.getMessage());
            return null;
        }
    }

    static boolean nodeSchedulingPropertiesChanged(Node o, Node n) {
        if (!Objects.equals(o.getMetadata().getLabels(), n.getMetadata().getLabels())) return true;
        if (!Objects.equals(o.getSpec(), n.getSpec())) return true;
        if (o.getStatus() == null || n.getStatus() == null) return o.getStatus() != n.getStatus();
        return !Objects.equals(o.getStatus().getAllocatable(), n.getStatus().getAllocatable())
                || !Objects.equals(o.getStatus().getImages(), n.getStatus().getImages());
    }

    private static String schedulerName(Pod p) {
        String n = p.getSpec() == null ? null : p.getSpec().getSchedulerName();
        return n == null || n.isEmpty() ? SchedulerConfiguration.DEFAULT_SCHEDULER_NAME : n;
    }

    private boolean responsibleFor(PodHeader p) {
        String n = p.schedulerName();
        return frameworks.containsKey(n == null || n.isEmpty() ? SchedulerConfiguration.DEFAULT_SCHEDULER_NAME : n);
    }

    /**
     * The pod watch's events. Decisions are made on the event's {@link PodHeader}; the full Pod is decoded only for
     * pods this scheduler queues and for bound pods whose scheduling-relevant fields changed or that it did not assume.
     */
    private final class PodEvents implements PodWatch.Handler {
        @Override public void added(PodHeader p, Supplier<Pod> full) { podAdded(p, full); }
        @Override public void updated(PodHeader o, Pod oldPod, PodHeader n, Supplier<Pod> full) { podUpdated(o, oldPod, n, full); }
        @Override public void deleted(PodHeader p) { podDeleted(p); }
    }

    void podAdded(PodHeader p, Supplier<Pod> full) {
        if (p.assigned()) {
            if (p.finished()) return;
            cacheBound(p, full);
            queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD);
        } else if (responsibleFor(p) && !p.deleting() && !p.gated()) {
            Pod pod = full.get();
            queue.add(pod);
            trackNomination(pod);
        }
    }

    /**
     * A bound pod seen: the binding of a pod this scheduler assumed on that node comes back with the same uid and
     * labels, and then the assumed PodInfo (decoded when the pod was queued) is confirmed as is, as upstream's cache
     * confirms an assumed pod; anything else is decoded and added.
     */
    private void cacheBound(PodHeader p, Supplier<Pod> full) {
        if (p.deleting() || !cache.confirm(p.key(), p.uid(), p.nodeName(), p.labels())) cache.addPod(full.get());
    }

    private void trackNomination(Pod p) {
        String node = p.getStatus() == null ? null : p.getStatus().getNominatedNodeName();
        if (node != null && !node.isEmpty()) nominated.nominate(new PodInfo(p), node);
    }

    private void unnominate(String podKey) { nominated.remove(podKey); }

    void podUpdated(PodHeader o, Pod oldPod, PodHeader n, Supplier<Pod> full) {
        String key = n.key();
        if (o.assigned()) {
            if (n.finished()) {
                cache.removePod(key);
                queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
                return;
            }
            boolean labels = !o.labels().equals(n.labels());
            // What the plugins read of a bound pod that can change: its labels and its deletion (requests, ports,
            // affinity and priority are immutable), or a new pod under the same name. Kubelet status updates
            // change none of these and are not decoded.
            if (labels || o.deleting() != n.deleting() || !Objects.equals(o.uid(), n.uid()) || !Objects.equals(o.nodeName(), n.nodeName())) {
                cache.updatePod(full.get());
            }
            if (labels) queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_UPDATE);
        } else if (n.assigned()) {
            unnominate(key);
            queue.delete(key);
            cacheBound(n, full);
            queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD);
        } else if (responsibleFor(n)) {
            if (n.deleting()) {
                unnominate(key);
                queue.delete(key);
                return;
            }
            if (n.gated()) {
                // spec.schedulingGates: the pod waits outside the queue until its gates are removed.
                queue.delete(key);
                return;
            }
            Pod np = full.get();
            trackNomination(np);
            if (!queue.contains(key) && !cache.contains(key)) {
                queue.add(np);
                return;
            }
            if (oldPod == null || !Objects.equals(oldPod.getSpec(), np.getSpec()) || !Objects.equals(oldPod.getMetadata().getLabels(), np.getMetadata().getLabels())
                    || !Objects.equals(oldPod.getMetadata().getAnnotations(), np.getMetadata().getAnnotations())) {
                // Status-only changes (our own PodScheduled condition) must not retry the pod.
                queue.update(np);
            }
        }
    }

    void podDeleted(PodHeader p) {
        if (p.assigned()) {
            cache.removePod(p.key());
            queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
        } else {
            unnominate(p.key());
            queue.delete(p.key());
        }
    }

    private boolean mayHelp(QueuedPodInfo q, ClusterEvent event) {
        if (q.unschedulablePlugins.isEmpty()) return true;
        Framework fw = frameworks.get(schedulerName(q.podInfo().pod()));
        if (fw == null) return false;
        for (String plugin : q.unschedulablePlugins) {
            Set<ClusterEvent> events = fw.eventsFor(plugin);
            if (events == null || events.contains(event)) return true;
        }
        return false;
    }

    // ---------------- leadership ----------------

    private void startElection() {
        SchedulerConfiguration.LeaderElection le = config.leaderElection();
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    LOG.info("{} became the scheduler leader", opts.identity());
                    startLoop();
                },
                () -> {
                    LOG.info("{} stopped leading", opts.identity());
                    stopLoop();
                    if (!closed.get()) {
                        // Stand by for the next term instead of exiting the process, as an embedded component must.
                        binders.execute(this::startElection);
                    }
                },
                leader -> LOG.info("scheduler leader is {}", leader));
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("kube-scheduler")
                .withLock(new LeaseLock(le.resourceNamespace(), le.resourceName(), opts.identity()))
                .withLeaseDuration(le.leaseDuration())
                .withRenewDeadline(le.renewDeadline())
                .withRetryPeriod(le.retryPeriod())
                .withLeaderCallbacks(callbacks)
                .withReleaseOnCancel(true)
                .build()).build().start();
        election.whenComplete((r, e) -> {
            if (e != null && !closed.get() && !(e instanceof java.util.concurrent.CancellationException)) {
                LOG.error("leader election failed: {}", e.toString());
            }
        });
    }

    private synchronized void startLoop() {
        if (closed.get() || loop != null) return;
        leading.set(true);
        Thread t = new Thread(this::runLoop, "scheduler-loop");
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    private synchronized void stopLoop() {
        leading.set(false);
        Thread t = loop;
        loop = null;
        if (t != null) t.interrupt();
    }

    public boolean isLeader() { return leading.get(); }

    public SchedulerMetrics metrics() { return metrics; }

    /** The port /metrics is served on, or -1. */
    public int metricsPort() { return metricsServer == null ? -1 : metricsServer.port(); }

    String metricsText() { return metrics.prometheusText(frameworks.keySet().iterator().next()); }

    /** Exposed for tests and diagnostics. */
    public SchedulingQueue queue() { return queue; }

    public Framework framework(String schedulerName) { return frameworks.get(schedulerName); }

    // ---------------- scheduling ----------------

    private void runLoop() {
        Thread self = Thread.currentThread();
        while (loop == self && !closed.get()) {
            QueuedPodInfo q;
            try {
                q = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (q == null) continue;
            if (loop != self) {
                // Leadership ended between pop and now: put the pod back.
                q.unschedulablePlugins.clear();
                queue.addUnschedulableIfNotPresent(q, queue.schedulingCycle());
                return;
            }
            try {
                scheduleOne(q);
            } catch (RuntimeException e) {
                LOG.error("scheduling {} failed", q.key(), e);
                q.unschedulablePlugins.clear();
                queue.addUnschedulableIfNotPresent(q, queue.schedulingCycle());
            }
        }
    }

    void scheduleOne(QueuedPodInfo q) {
        PodInfo pod = q.podInfo();
        FrameworkImpl fw = frameworks.get(schedulerName(pod.pod()));
        if (fw == null || pod.isTerminating() || cache.contains(pod.key())) {
            queue.done(pod.key());
            return;
        }
        long start = System.nanoTime();
        long cycle = queue.schedulingCycle();
        CycleState state = new CycleState();
        Snapshot snapshot = cache.updateSnapshot();
        fw.setSnapshot(snapshot);
        SchedulingAlgorithm.Result r = algorithm.schedulePod(fw, state, pod, snapshot, percentageToScore(fw));
        if (r.error() != null) {
            metrics.error.incrementAndGet();
            failed(fw, q, cycle, r.error(), r.error().message(), null);
            return;
        }
        if (r.host() == null) {
            String postMsg = null;
            String nominated = null;
            if (fw.hasPostFilterPlugins() && snapshot.size() > 0) {
                metrics.preemptionAttempts.incrementAndGet();
                PostFilterResult pr = fw.runPostFilterPlugins(state, pod, r.nodeStatuses());
                if (pr.status().isSuccess()) {
                    nominated = pr.nominatedNodeName();
                    if (nominated != null) this.nominated.nominate(pod, nominated);
                } else if (pr.status().code() != Code.ERROR) {
                    postMsg = pr.status().message();
                }
            }
            String msg = snapshot.size() == 0 ? FitError.NO_NODES
                    : FitError.message(snapshot.size(), r.preFilterStatus() == null ? null : r.preFilterStatus().message(), r.nodeStatuses(), postMsg);
            q.unschedulablePlugins.clear();
            if (r.preFilterStatus() != null && r.preFilterStatus().plugin() != null) q.unschedulablePlugins.add(r.preFilterStatus().plugin());
            for (Status s : r.nodeStatuses().values()) if (s.plugin() != null) q.unschedulablePlugins.add(s.plugin());
            if (q.unschedulablePlugins.isEmpty()) q.unschedulablePlugins.add("NoNodes");
            metrics.unschedulable.incrementAndGet();
            failed(fw, q, cycle, Status.unschedulable(msg), msg, nominated);
            return;
        }
        String host = r.host();
        try {
            cache.assumePod(pod, host);
        } catch (IllegalStateException e) {
            metrics.error.incrementAndGet();
            failed(fw, q, cycle, Status.error(e.getMessage()), e.getMessage(), null);
            return;
        }
        Status reserve = fw.runReservePluginsReserve(state, pod, host);
        if (!reserve.isSuccess()) {
            fw.runReservePluginsUnreserve(state, pod, host);
            cache.forgetPod(pod);
            metrics.error.incrementAndGet();
            failed(fw, q, cycle, reserve, reserve.message(), null);
            return;
        }
        Status permit = fw.runPermitPlugins(state, pod, host);
        if (!permit.isSuccess() && !permit.isWait()) {
            fw.runReservePluginsUnreserve(state, pod, host);
            cache.forgetPod(pod);
            if (permit.isRejected()) {
                q.unschedulablePlugins.clear();
                if (permit.plugin() != null) q.unschedulablePlugins.add(permit.plugin());
            }
            metrics.unschedulable.incrementAndGet();
            failed(fw, q, cycle, permit, permit.message(), null);
            return;
        }
        binders.execute(() -> bindingCycle(fw, state, q, host, cycle, permit.isWait(), start));
    }

    private void bindingCycle(FrameworkImpl fw, CycleState state, QueuedPodInfo q, String host, long cycle, boolean wait, long start) {
        PodInfo pod = q.podInfo();
        Status s = wait ? fw.waitOnPermit(pod) : Status.success();
        if (s.isSuccess()) s = fw.runPreBindPlugins(state, pod, host);
        if (s.isSuccess()) s = fw.runBindPlugins(state, pod, host);
        if (!s.isSuccess()) {
            fw.runReservePluginsUnreserve(state, pod, host);
            cache.forgetPod(pod);
            metrics.error.incrementAndGet();
            // The assumed resources are free again.
            queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
            q.unschedulablePlugins.clear();
            failed(fw, q, cycle, s, "Binding rejected: " + s.message(), null);
            return;
        }
        queue.done(pod.key());
        unnominate(pod.key());
        metrics.scheduled.incrementAndGet();
        long now = System.nanoTime();
        metrics.observeAttempt((now - start) / 1e9);
        metrics.observeE2E(Math.max(0, opts.clock().millis() - q.enqueuedMillis) / 1e3);
        recorder.event(pod.pod(), fw.profileName(), "Normal", "Scheduled", "Binding", "Successfully assigned " + pod.key() + " to " + host);
        fw.runPostBindPlugins(state, pod, host);
    }

    private void failed(FrameworkImpl fw, QueuedPodInfo q, long cycle, Status status, String message, String nominatedNode) {
        PodInfo pod = q.podInfo();
        if (status.code() == Code.ERROR) q.unschedulablePlugins.clear();
        queue.addUnschedulableIfNotPresent(q, cycle);
        if (LOG.isDebugEnabled()) LOG.debug("Unable to schedule {}: {}", pod.key(), message);
        String reason = status.code() == Code.ERROR ? "SchedulerError" : "Unschedulable";
        recorder.event(pod.pod(), fw.profileName(), "Warning", "FailedScheduling", "Scheduling", message);
        recorder.podUnschedulable(pod.pod(), reason, message, nominatedNode);
    }

    // ---------------- shutdown ----------------

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        stopLoop();
        CompletableFuture<?> e = election;
        if (e != null) e.cancel(true);
        PodWatch pw = podWatch;
        if (pw != null) pw.close();
        for (SharedIndexInformer<?> i : informers) {
            try {
                i.close();
            } catch (RuntimeException ignored) {
                // already stopped
            }
        }
        queue.close();
        ticker.shutdownNow();
        binders.shutdownNow();
        recorder.close();
        parallelizer.close();
        if (metricsServer != null) metricsServer.close();
    }
}
