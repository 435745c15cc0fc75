package io.kube4j.controllers.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.util.Pods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Periodically removes pods nobody else will: terminated pods beyond the threshold (oldest first),
 * pods bound to nodes that no longer exist, and terminating pods that were never scheduled.
 */
public final class PodGcController extends Controller {
    static final String KEY = "podgc";
    static final Duration PERIOD = Duration.ofSeconds(20);

    private final KubernetesClient client;
    private final Informers informers;
    private final int threshold;
    private final Duration period;
    private ScheduledExecutorService ticker;

    public PodGcController(ControllerContext ctx) {
        this(ctx, PERIOD);
    }

    public PodGcController(ControllerContext ctx, Duration period) {
        super("pod-garbage-collector", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.threshold = ctx.options().terminatedPodGcThreshold();
        this.period = period;
        informers.of(Pod.class);
        informers.of(Node.class);
    }

    @Override
    public synchronized void start() {
        super.start();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "podgc-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> enqueue(KEY), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (ticker != null) {
                ticker.shutdownNow();
            }
        }
        super.close();
    }

    @Override
    public void sync(String key) {
        List<Pod> pods = informers.list(Pod.class);
        gcTerminated(pods);
        gcOrphaned(pods);
        gcUnscheduledTerminating(pods);
    }

    private void gcTerminated(List<Pod> pods) {
        if (threshold <= 0) {
            return;
        }
        List<Pod> terminated = new ArrayList<>(pods.stream().filter(Pods::isTerminal)
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList());
        int excess = terminated.size() - threshold;
        if (excess <= 0) {
            return;
        }
        terminated.sort(Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                .thenComparing(p -> p.getMetadata().getName()));
        for (int i = 0; i < excess; i++) {
            delete(terminated.get(i), null);
        }
    }

    private void gcOrphaned(List<Pod> pods) {
        for (Pod p : pods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (node == null || node.isEmpty() || informers.get(Node.class, node) != null) {
                continue;
            }
            // The cache may lag a new node: confirm with the API before deleting.
            if (client.nodes().withName(node).get() == null) {
                delete(p, 0L);
            }
        }
    }

    private void gcUnscheduledTerminating(List<Pod> pods) {
        for (Pod p : pods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (p.getMetadata().getDeletionTimestamp() != null && (node == null || node.isEmpty())) {
                delete(p, 0L);
            }
        }
    }

    private void delete(Pod p, Long gracePeriod) {
        try {
            var r = client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName());
            if (gracePeriod == null) {
                r.delete();
            } else {
                r.withGracePeriod(gracePeriod).delete();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
