package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.grpc.ManagedChannel;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.cri.v1.VersionResponse;
import io.kube4j.kubelet.cm.PodCgroups;
import io.kube4j.kubelet.config.PodStore;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.env.ApiObjectSource;
import io.kube4j.kubelet.env.EnvResolver;
import io.kube4j.kubelet.events.EventRecorder;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.kuberuntime.RuntimeStateReader;
import io.kube4j.kubelet.nodestatus.NodeLease;
import io.kube4j.kubelet.nodestatus.NodeStatusManager;
import io.kube4j.kubelet.pleg.GenericPleg;
import io.kube4j.kubelet.pod.PodSyncer;
import io.kube4j.kubelet.pod.PodWorkers;
import io.kube4j.kubelet.prober.ProbeManager;
import io.kube4j.kubelet.prober.Prober;
import io.kube4j.kubelet.status.StatusManager;
import io.kube4j.kubelet.volume.ApiTokenSource;
import io.kube4j.kubelet.volume.VolumeManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node agent. It reaches the cluster only through the Kubernetes API (the given client) and the runtime only
 * through CRI on a unix socket.
 *
 * <pre>
 *   try (Kubelet kubelet = Kubelet.start(client, KubeletOptions.defaults("node-1", socket, root))) { ... }
 * </pre>
 */
public final class Kubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(2);
    /** Sync threads idle this long end. */
    private static final long SYNC_THREAD_IDLE_SECONDS = 10;
    private static final Duration STATIC_POD_SCAN = Duration.ofSeconds(5);
    /** Upstream's eviction monitoring interval. */
    private static final Duration EVICTION_MONITORING = Duration.ofSeconds(10);
    private static final Duration FAST_STATUS_UPDATE_EVERY = Duration.ofMillis(100);
    private static final Duration FAST_STATUS_UPDATE_FOR = Duration.ofMinutes(2);

    private final KubeletOptions options;
    private final RuntimeClient cri;
    private final ScheduledExecutorService timers;
    private final ExecutorService syncPool;
    private final ExecutorService killers;
    private final EventRecorder events;
    private final NodeStatusManager nodeStatus;
    private final StatusManager statuses;
    private final PodWorkers workers;
    private final ProbeManager probes;
    private final io.kube4j.kubelet.eviction.EvictionManager eviction;
    private final io.kube4j.kubelet.server.KubeletServer server;
    private final io.kube4j.kubelet.metrics.KubeletMetrics metrics;
    /** Null unless the serving certificate is bootstrapped. */
    private io.kube4j.kubelet.certificate.ServingCertificateManager servingCertificates;
    private SharedIndexInformer<Pod> podInformer;
    private io.kube4j.kubelet.config.StaticPodSource staticPods;
    private SharedIndexInformer<Service> serviceInformer;
    private SharedIndexInformer<io.fabric8.kubernetes.api.model.node.v1.RuntimeClass> runtimeClassInformer;

    private Kubelet(KubeletOptions options, RuntimeClient cri, KubernetesClient client, io.kube4j.kubelet.eviction.SignalSource signals) {
        this(options, cri, client, signals, null);
    }

    /** @param services the Services to read (service env vars), this kubelet's to close; null: its own informer */
    private Kubelet(KubeletOptions options, RuntimeClient cri, KubernetesClient client, io.kube4j.kubelet.eviction.SignalSource signals,
                    SharedIndexInformer<Service> services) {
        VersionResponse version;
        try {
            version = waitForRuntime(cri);
        } catch (RuntimeException e) {
            cri.close();
            if (services != null) {
                services.close();
            }
            throw e;
        }
        this.options = options;
        this.cri = cri;
        this.timers = Executors.newScheduledThreadPool(2, threads("kubelet-timer"));
        // A thread per pod sync, as upstream's goroutine per pod: syncs spend their time waiting on the runtime (a pod
        // start is a sandbox, a CreateContainer and a StartContainer: seconds on a busy node), and the fixed pool of 8
        // this was queued pods behind others' starts - 100 pods at 5/s waited up to 10 s for a thread (bench/podstartup).
        // PodWorkers runs one sync per pod at a time, so there are never more threads than pods. The hand-off queue
        // gives work to the most recently idle thread, so after a burst the extra threads idle out and a node with
        // steady pods keeps one or two.
        this.syncPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, SYNC_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("kubelet-pod-sync"));
        this.killers = Executors.newCachedThreadPool(threads("kubelet-kill"));
        this.events = new EventRecorder(client, options.nodeName());
        this.nodeStatus = new NodeStatusManager(client, cri, options, events);
        PodWorkers[] self = new PodWorkers[1];
        this.metrics = new io.kube4j.kubelet.metrics.KubeletMetrics(options.nodeName(), cri.operations());
        this.probes = new ProbeManager(new Prober(cri), timers, uid -> {
            if (self[0] != null) {
                self[0].requestSync(uid);
            }
        }, metrics.probes());
        // given, it is a lease on an informer other components of the JVM read too (a worker's proxy and DNS)
        this.serviceInformer = services != null ? services.run() : client.services().inAnyNamespace().inform();
        // started, not waited for: a lookup before the first list reads the class from the API
        this.runtimeClassInformer = client.runtimeClasses().runnableInformer(0);
        runtimeClassInformer.start();
        ApiObjectSource objects = new ApiObjectSource(client, serviceInformer, runtimeClassInformer);
        VolumeManager volumes = new VolumeManager(options.rootDir(), objects, new ApiTokenSource(client), nodeStatus::allocatable);
        EnvResolver env = new EnvResolver(objects, nodeStatus::allocatable);
        String[] runtimeName = {"kube4j"};
        ConfigFactory configFactory = new ConfigFactory(options.podLogDir(), options.clusterDns(), options.clusterDomain(),
                options.rootDir().resolve("seccomp"));
        this.statuses = new StatusManager(client);
        PodCgroups podCgroups = new PodCgroups(options.cgroups(), options.kubepodsName());
        PodSyncer syncer = new PodSyncer(cri, new RuntimeStateReader(cri), configFactory, volumes, env,
                podCgroups, statuses, probes, events,
                client, nodeStatus::hostIp, () -> runtimeName[0], killers);
        this.workers = new PodWorkers(syncer, syncPool, timers, options.syncFrequency(), metrics);
        self[0] = workers;
        this.eviction = new io.kube4j.kubelet.eviction.EvictionManager(options.evictionHard(),
                signals != null ? signals : new io.kube4j.kubelet.eviction.MachineSignals(options.rootDir(), cri), workers::active,
                this::evict, () -> timers.execute(guard(nodeStatus::updateStatus)));
        nodeStatus.setPressure(eviction::pressure);
        runtimeName[0] = version.getRuntimeName();
        nodeStatus.setRuntimeVersion(version.getRuntimeName() + "://" + version.getRuntimeVersion());
        LOG.info("kubelet {} using runtime {} {} at {}", options.nodeName(), version.getRuntimeName(), version.getRuntimeVersion(),
                options.runtimeEndpoint());

        NodeLease lease = new NodeLease(client, options.nodeName(), nodeStatus::node);
        timers.execute(() -> registerUntilDone(lease));

        GenericPleg pleg = new GenericPleg(cri, workers::requestSync);
        pleg.relist(); // the first relist only records what is there
        timers.scheduleWithFixedDelay(pleg::relist, options.relistPeriod().toMillis(), options.relistPeriod().toMillis(),
                TimeUnit.MILLISECONDS);

        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().withField("spec.nodeName", options.nodeName())
                .runnableInformer(0);
        pods.itemStore(new PodStore());
        this.podInformer = pods;
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (mine(pod)) {
                    workers.update(pod);
                }
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                if (mine(pod)) {
                    workers.update(pod);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                if (mine(pod)) {
                    workers.remove(pod);
                }
            }
        });
        pods.run();
        if (options.serverAddress() != null) {
            try {
                this.server = startServer(client, configFactory, podCgroups);
                nodeStatus.publishServerPort(server.port());
            } catch (java.io.IOException e) {
                close();
                throw new java.io.UncheckedIOException("cannot serve on " + options.serverAddress() + ": " + e.getMessage(), e);
            }
        } else {
            this.server = null;
        }
        if (options.staticPodPath() != null) {
            staticPods = new io.kube4j.kubelet.config.StaticPodSource(options.staticPodPath(), options.nodeName(), client, workers,
                    () -> nodeStatus.node() == null ? null : nodeStatus.node().getMetadata().getUid());
            timers.scheduleWithFixedDelay(guard(staticPods::scan), 0, STATIC_POD_SCAN.toMillis(), TimeUnit.MILLISECONDS);
        }
        timers.scheduleWithFixedDelay(this::housekeeping, HOUSEKEEPING.toMillis(), HOUSEKEEPING.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(guard(eviction::synchronize), 0, EVICTION_MONITORING.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The kubelet server: HTTPS with the given certificate, or with one requested from the cluster and kept renewed
     * (serverTLSBootstrap), authenticated and authorized through the API server; plain HTTP without either.
     */
    private io.kube4j.kubelet.server.KubeletServer startServer(KubernetesClient client, ConfigFactory configFactory,
                                                               PodCgroups podCgroups) throws java.io.IOException {
        java.util.function.Supplier<java.util.List<Pod>> pods = () -> workers.all().stream().map(w -> w.pod()).toList();
        io.kube4j.kubelet.server.stats.SummaryBuilder summary = new io.kube4j.kubelet.server.stats.SummaryBuilder(
                options.nodeName(), new io.kube4j.kubelet.server.stats.MachineStatsSource(cri, pods, configFactory,
                options.rootDir(), options.cgroups(), options.kubepodsName()));
        java.util.function.Supplier<io.kube4j.kubelet.server.ServingTls> tls = null;
        java.security.cert.X509Certificate clientCa = null;
        if (options.serverTls() != null) {
            io.kube4j.kubelet.server.ServingTls fixed = options.serverTls();
            tls = () -> fixed;
            clientCa = fixed.clientCa();
        } else if (options.serverTlsBootstrap() != null) {
            servingCertificates = new io.kube4j.kubelet.certificate.ServingCertificateManager(client, options.nodeName(),
                    options.serverTlsBootstrap(), nodeStatus::node, java.time.Clock.systemUTC());
            servingCertificates.start();
            tls = servingCertificates;
            clientCa = options.serverTlsBootstrap().clientCa();
        }
        io.kube4j.kubelet.server.auth.KubeletAuth auth = null;
        if (tls != null) {
            io.kube4j.kubelet.server.auth.ApiServerReviews reviews = new io.kube4j.kubelet.server.auth.ApiServerReviews(client);
            auth = new io.kube4j.kubelet.server.auth.KubeletAuth(clientCa, reviews, reviews, options.nodeName());
        }
        return new io.kube4j.kubelet.server.KubeletServer(options.serverAddress(), cri, configFactory, pods,
                client.getKubernetesSerialization(), tls, clientCa, auth, summary, metrics,
                new io.kube4j.kubelet.server.Configz(options),
                new io.kube4j.kubelet.server.CadvisorMetrics(cri, pods, podCgroups::parentOf));
    }

    /** Upstream stops an evicted pod quickly: a 1 s grace override, which its container kill raises to its 2 s minimum. */
    private void evict(Pod pod, String message) {
        events.pod(pod, "Warning", "Evicted", message, null);
        workers.fail(pod.getMetadata().getUid(), new io.kube4j.kubelet.status.Waiting("Evicted", message), 2);
    }

    /** What this kubelet's server reports on /metrics and /metrics/probes. */
    public io.kube4j.kubelet.metrics.KubeletMetrics metrics() {
        return metrics;
    }

    /** The eviction manager (tests drive a pass with {@code synchronize()}). */
    public io.kube4j.kubelet.eviction.EvictionManager eviction() {
        return eviction;
    }

    /** Starts a kubelet on the runtime at {@code options.runtimeEndpoint()}. */
    public static Kubelet start(KubernetesClient client, KubeletOptions options) {
        return new Kubelet(options, RuntimeClient.connect(options.runtimeEndpoint()), client, null);
    }

    /** Starts a kubelet whose eviction manager reads the given signals instead of the machine's (tests). */
    public static Kubelet start(KubernetesClient client, KubeletOptions options, io.kube4j.kubelet.eviction.SignalSource signals) {
        return new Kubelet(options, RuntimeClient.connect(options.runtimeEndpoint()), client, signals);
    }

    /** Starts a kubelet on an already open CRI channel (e.g. an in-process runtime). */
    public static Kubelet start(KubernetesClient client, KubeletOptions options, ManagedChannel criChannel) {
        return new Kubelet(options, new RuntimeClient(criChannel), client, null);
    }

    /**
     * Starts a kubelet on an already open CRI channel that reads Services from {@code services} (a lease on an informer
     * shared with other components of the JVM, which the kubelet closes with itself) instead of informing itself.
     */
    public static Kubelet start(KubernetesClient client, KubeletOptions options, ManagedChannel criChannel,
                                SharedIndexInformer<Service> services) {
        return new Kubelet(options, new RuntimeClient(criChannel), client, null, services);
    }

    /** Pods bound to this node, except mirror pods: their static pods are run from the manifest. */
    private boolean mine(Pod pod) {
        return pod.getSpec() != null && options.nodeName().equals(pod.getSpec().getNodeName())
                && !io.kube4j.kubelet.config.StaticPodSource.isMirror(pod);
    }

    public KubeletOptions options() {
        return options;
    }

    /** The port of the kubelet's HTTP server, or -1 when it has none. */
    public int serverPort() {
        return server == null ? -1 : server.port();
    }

    private static VersionResponse waitForRuntime(RuntimeClient cri) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return cri.version();
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the container runtime does not answer: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the container runtime", ie);
                }
            }
        }
    }

    private void registerUntilDone(NodeLease lease) {
        try {
            nodeStatus.register();
            lease.renew();
            timers.scheduleWithFixedDelay(guard(lease::renew), options.leaseRenewInterval().toMillis(),
                    options.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(guard(nodeStatus::updateStatus), options.statusUpdateInterval().toMillis(),
                    options.statusUpdateInterval().toMillis(), TimeUnit.MILLISECONDS);
            reportReadySoon(Instant.now().plus(FAST_STATUS_UPDATE_FOR));
        } catch (RuntimeException e) {
            LOG.warn("cannot register node {}: {}; retrying", options.nodeName(), e.getMessage());
            timers.schedule(() -> registerUntilDone(lease), 2, TimeUnit.SECONDS);
        }
    }

    /**
     * Upstream's fastStatusUpdateOnce: right after registration the runtime's network usually waits for the pod range
     * that node IPAM assigns to the new Node, so the first status says NotReady. Until the node has reported Ready, its
     * status is checked every 100 ms instead of every status interval (10 s), so a new node takes pods as soon as its
     * runtime can run them. Only a changed status is sent, so the checks cost no API writes.
     */
    private void reportReadySoon(Instant until) {
        try {
            nodeStatus.updateStatus();
        } catch (RuntimeException e) {
            LOG.debug("fast node status update failed: {}", e.toString());
        }
        if (!nodeStatus.readyReported() && Instant.now().isBefore(until) && !timers.isShutdown()) {
            timers.schedule(() -> reportReadySoon(until), FAST_STATUS_UPDATE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("kubelet task failed: {}", e.toString());
            }
        };
    }

    /** Sandboxes of pods the API no longer has (deleted while the kubelet was down) are stopped and removed. */
    private void housekeeping() {
        if (podInformer == null || !podInformer.hasSynced()) {
            return;
        }
        try {
            for (PodSandbox s : cri.listPodSandboxes(Map.of())) {
                String uid = s.getLabelsOrDefault(Labels.POD_UID, "");
                if (uid.isEmpty() || workers.knows(uid)) {
                    continue;
                }
                boolean known = podInformer.getStore().list().stream().anyMatch(p -> uid.equals(p.getMetadata().getUid()));
                if (known) {
                    continue;
                }
                LOG.info("removing sandbox {} of pod {} that no longer exists", s.getId(), uid);
                for (var c : cri.listContainers(Map.of(Labels.POD_UID, uid))) {
                    try {
                        cri.stopContainer(c.getId(), 0);
                        cri.removeContainer(c.getId());
                    } catch (RuntimeException e) {
                        LOG.debug("cannot remove container {}: {}", c.getId(), e.getMessage());
                    }
                }
                if (s.getState() == PodSandboxState.SANDBOX_READY) {
                    cri.stopPodSandbox(s.getId());
                }
                cri.removePodSandbox(s.getId());
            }
        } catch (RuntimeException e) {
            LOG.debug("housekeeping failed: {}", e.getMessage());
        }
    }

    /** Stops the agent; containers keep running (a new kubelet adopts them). */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (servingCertificates != null) {
            servingCertificates.close();
        }
        if (podInformer != null) {
            podInformer.close();
        }
        if (serviceInformer != null) {
            serviceInformer.close();
        }
        if (runtimeClassInformer != null) {
            runtimeClassInformer.close();
        }
        workers.close();
        probes.close();
        timers.shutdownNow();
        syncPool.shutdownNow();
        killers.shutdownNow();
        try {
            syncPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statuses.close();
        events.close();
        cri.close();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
