package io.kube4j.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kube4j.controllers.clientbuilder.ControllerClientBuilder;
import io.kube4j.controllers.clientbuilder.ControllerClientBuilders;
import io.kube4j.controllers.framework.ApiEventRecorder;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled controllers on one shared set of informers. With leader election (the default)
 * controllers run only while this instance holds the {@code kube-system/kube-controller-manager}
 * Lease; a lost lease stops them, and the instance campaigns again. The manager's own client (leader election,
 * the shared informers) needs only upstream's system:kube-controller-manager rights; each controller writes
 * through a client of its own service account (see {@link ControllerClientBuilders}).
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

    private final KubernetesClient client;
    private final ControllerManagerOptions options;
    private final ExecutorService electionExecutor;
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean leading;
    private CompletableFuture<?> election;
    private Term term;
    private volatile CountDownLatch running = new CountDownLatch(1);

    /** One leadership term: its informers, controllers and helpers, all discarded when it ends. */
    private static final class Term {
        Informers informers;
        final List<Controller> controllers = new ArrayList<>();
        final Map<String, ApiEventRecorder> recorders = new LinkedHashMap<>();
        final Map<String, KubernetesClient> controllerClients = new LinkedHashMap<>();
        volatile ControllerClientBuilder clients;
        ExecutorService apiCalls;
        volatile boolean stopped;
    }

    private ControllerManager(KubernetesClient client, ControllerManagerOptions options) {
        this.client = client;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.electionExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "controller-manager-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the controller manager and returns at once; controllers start when the lease is won. */
    public static ControllerManager start(KubernetesClient client, ControllerManagerOptions options) {
        ControllerManager manager = new ControllerManager(client, options);
        if (options.leaderElect()) {
            manager.campaign();
        } else {
            manager.electionExecutor.execute(manager::startTerm);
        }
        return manager;
    }

    public boolean isLeading() {
        return leading;
    }

    /** Waits until controllers run (leadership won and caches synced). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Names of the controllers of the current term, empty while not leading. */
    public List<String> runningControllers() {
        synchronized (lock) {
            if (term == null) {
                return List.of();
            }
            return term.controllers.stream().map(Controller::name).toList();
        }
    }

    private void campaign() {
        if (closed) {
            return;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName(options.leaderElectionName())
                .withLock(new LeaseLock(options.leaderElectionNamespace(), options.leaderElectionName(),
                        options.identity()))
                .withLeaseDuration(options.leaseDuration())
                .withRenewDeadline(options.renewDeadline())
                .withRetryPeriod(options.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> electionExecutor.execute(this::startTerm),
                        this::stopTerm,
                        leader -> LOG.info("controller-manager leader is now {}", leader)))
                .build();
        CompletableFuture<?> future = client.leaderElector().withConfig(config).build().start();
        synchronized (lock) {
            election = future;
        }
        future.whenComplete((v, e) -> {
            if (!closed) {
                LOG.warn("controller-manager {} lost the lease; campaigning again", options.identity());
                electionExecutor.execute(this::campaign);
            }
        });
    }

    private void startTerm() {
        Term t = new Term();
        synchronized (lock) {
            if (closed) {
                return;
            }
            stopCurrentTerm();
            term = t;
            leading = true;
        }
        try {
            t.informers = new Informers(client.informers(), options.resyncPeriod());
            AtomicInteger n = new AtomicInteger();
            t.apiCalls = Executors.newFixedThreadPool(16, r -> {
                Thread th = new Thread(r, "controller-api-" + n.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
            // token lifetimes are between us and the API server: real time, whatever clock the controllers use
            t.clients = ControllerClientBuilders.create(client, options.useServiceAccountCredentials(),
                    options.serviceAccountTokenLifetime(), Clock.systemUTC());
            if (t.stopped) {
                // the term ended while the builder was made: stopCurrentTerm may not have seen it
                t.clients.close();
                return;
            }
            // the enabled controllers' service accounts are made at once, not one per clientFor below
            t.clients.prepare(Controllers.all().stream().filter(d -> options.isEnabled(d.name()))
                    .map(ControllerDescriptor::serviceAccount).toList());
            for (ControllerDescriptor d : Controllers.all()) {
                if (!options.isEnabled(d.name())) {
                    continue;
                }
                KubernetesClient controllerClient = t.clients.clientFor(d.serviceAccount());
                String identity = t.clients.identityOf(d.serviceAccount());
                // events go through the controller's own client, so their author is the controller's account
                ControllerContext ctx = new ControllerContext(controllerClient, t.informers,
                        component -> recorder(t, identity, controllerClient, component), options, t.apiCalls);
                Controller c = d.factory().apply(ctx);
                if (c != null) {
                    t.controllers.add(c);
                    synchronized (t.controllerClients) {
                        t.controllerClients.put(d.name(), controllerClient);
                    }
                }
            }
            t.informers.startAndWaitForSync(options.informerSyncTimeout());
            synchronized (lock) {
                if (t.stopped) {
                    return;
                }
                t.controllers.forEach(Controller::start);
            }
            LOG.info("controller-manager {} started controllers {}", options.identity(), runningControllers());
            running.countDown();
        } catch (Exception e) {
            LOG.error("controller-manager could not start its controllers: {}", e.toString());
            boolean current;
            synchronized (lock) {
                current = term == t && !t.stopped;
                if (term == t) {
                    stopCurrentTerm();
                }
            }
            if (!closed && current) {
                electionExecutor.execute(this::retryStart);
            }
        }
    }

    /**
     * After a failed start (the API server not answering, a token refused), wait a retry period, then start again;
     * a leader gives its lease up instead and campaigns again, since leading without controllers helps nobody.
     */
    private void retryStart() {
        try {
            Thread.sleep(options.retryPeriod().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closed) {
            return;
        }
        if (!options.leaderElect()) {
            startTerm();
            return;
        }
        CompletableFuture<?> e;
        synchronized (lock) {
            e = election;
        }
        if (e != null) {
            e.cancel(true);
        }
    }

    private EventRecorder recorder(Term t, String identity, KubernetesClient controllerClient, String component) {
        synchronized (t.recorders) {
            return t.recorders.computeIfAbsent(identity + "\n" + component,
                    c -> new ApiEventRecorder(controllerClient, component, options.clock()));
        }
    }

    /**
     * The client a running controller acts through (its service account's, or the manager's own when the API
     * server has no authentication); null while not leading or when the controller does not run.
     */
    public KubernetesClient clientOf(String controller) {
        synchronized (lock) {
            if (term == null) {
                return null;
            }
            synchronized (term.controllerClients) {
                return term.controllerClients.get(controller);
            }
        }
    }

    private void stopTerm() {
        synchronized (lock) {
            stopCurrentTerm();
        }
    }

    private void stopCurrentTerm() {
        leading = false;
        Term t = term;
        term = null;
        if (t == null) {
            return;
        }
        t.stopped = true;
        running = new CountDownLatch(1);
        List<Controller> cs = new ArrayList<>(t.controllers);
        Collections.reverse(cs);
        cs.forEach(Controller::close);
        if (t.informers != null) {
            t.informers.stop();
        }
        if (t.apiCalls != null) {
            t.apiCalls.shutdownNow();
        }
        synchronized (t.recorders) {
            t.recorders.values().forEach(ApiEventRecorder::close);
        }
        if (t.clients != null) {
            t.clients.close();
        }
    }

    @Override
    public void close() {
        CompletableFuture<?> e;
        synchronized (lock) {
            closed = true;
            e = election;
            stopCurrentTerm();
        }
        if (e != null) {
            e.cancel(true);
        }
        electionExecutor.shutdownNow();
    }
}
