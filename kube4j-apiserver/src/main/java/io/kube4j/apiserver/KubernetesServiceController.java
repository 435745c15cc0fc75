package io.kube4j.apiserver;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's control-plane "kubernetes service" controller: keeps Service {@code default/kubernetes} (port 443
 * {@code https} to the secure port, the service CIDR's first address, labels {@code component=apiserver} and
 * {@code provider=kubernetes}, no selector) and, when there is an advertise address, its endpoints
 * ({@link KubernetesEndpointsReconciler}), on one loop every {@link #INTERVAL}: the Service first, then the
 * endpoints, as upstream's UpdateKubernetesService does.
 * <p>
 * As upstream: a deleted Service is created again on the next pass, but an existing one is not rewritten by the
 * loop - users change its type or ports (a NodePort to reach the API from outside) and upstream keeps such edits
 * (its periodic pass runs with {@code reconcile=false}; the update path has not run since 1.17). Only at start is
 * the {@code https} port's {@code targetPort} put back on this server's secure port, so a restart on another
 * {@code --port} does not leave the Service describing the old one.
 */
public final class KubernetesServiceController implements AutoCloseable {

    /** Upstream's EndpointInterval (--endpoint-reconciler interval). */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final String NAMESPACE = "default";
    static final String NAME = "kubernetes";
    static final String PORT_NAME = "https";
    /** The port pods use (KUBERNETES_SERVICE_PORT), upstream's --kubernetes-service port default. */
    static final int SERVICE_PORT = 443;

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesServiceController.class);

    private final GenericRegistry services;
    private final String clusterIp;
    private final int securePort;
    /** Null when there is no advertise address: nothing is published then, the Service is still kept. */
    private final KubernetesEndpointsReconciler endpoints;
    private final Duration interval;
    private ScheduledFuture<?> task;

    public KubernetesServiceController(Resources resources, int securePort, KubernetesEndpointsReconciler endpoints) {
        this(resources, securePort, endpoints, INTERVAL);
    }

    /** {@code interval}: shorter in tests, so that they need not wait upstream's 10 s. */
    KubernetesServiceController(Resources resources, int securePort, KubernetesEndpointsReconciler endpoints,
                                Duration interval) {
        this.services = resources.find("", "v1", "services").orElseThrow();
        this.clusterIp = resources.clusterIps().first();
        this.securePort = securePort;
        this.endpoints = endpoints;
        this.interval = interval;
    }

    /**
     * Reconciles once with the start-only corrections (errors propagate: a server that cannot write its own Service
     * should not start), then every {@link #INTERVAL} on {@code timers}.
     */
    public KubernetesServiceController start(ScheduledExecutorService timers) {
        reconcile(true);
        task = timers.scheduleWithFixedDelay(this::reconcileQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: the Service, then the endpoints. {@code atStart}: also correct the Service's targetPort. */
    synchronized void reconcile(boolean atStart) {
        ensureService(atStart);
        if (endpoints != null) {
            endpoints.reconcile();
        }
    }

    private void ensureService(boolean atStart) {
        ObjectNode current = services.find(NAMESPACE, NAME).orElse(null);
        if (current == null) {
            try {
                services.create(NAMESPACE, desiredService(), false, GenericRegistry.SERVER_MANAGER);
                LOG.info("created service {}/{} at {}", NAMESPACE, NAME, clusterIp);
                return;
            } catch (StatusException e) {
                if (e.code() != 409) {
                    throw e;
                }
                // created meanwhile (another API server over the same store): looked at below
            }
        }
        if (atStart) {
            targetSecurePort();
        }
    }

    /** Upstream's shape of the Service (what its CreateOrUpdateMasterServiceIfNeeded creates). */
    ObjectNode desiredService() {
        ObjectNode svc = Json.object("v1", "Service", NAMESPACE, NAME);
        Json.metadata(svc).putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", clusterIp);
        spec.put("ipFamilyPolicy", "SingleStack");
        spec.put("sessionAffinity", "None");
        ObjectNode p = spec.putArray("ports").addObject();
        p.put("name", PORT_NAME);
        p.put("protocol", "TCP");
        p.put("port", SERVICE_PORT);
        p.put("targetPort", securePort);
        return svc;
    }

    /** The {@code https} port's targetPort set to this server's secure port, when it is another. */
    private void targetSecurePort() {
        ObjectNode svc = services.find(NAMESPACE, NAME).orElse(null);
        if (svc == null || !staleTargetPort(svc)) {
            return;
        }
        LOG.info("service {}/{}: port {} now targets the secure port {}", NAMESPACE, NAME, PORT_NAME, securePort);
        // the registry compares the result with what it read: changed on a copy
        services.guaranteedUpdate(NAMESPACE, NAME, true, false, false, GenericRegistry.SERVER_MANAGER, read -> {
            ObjectNode next = read.deepCopy();
            for (JsonNode p : next.path("spec").path("ports")) {
                if (PORT_NAME.equals(p.path("name").asString("")) && p instanceof ObjectNode o) {
                    o.put("targetPort", securePort);
                }
            }
            return next;
        });
    }

    private boolean staleTargetPort(ObjectNode svc) {
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (PORT_NAME.equals(p.path("name").asString("")) && p.path("targetPort").asInt(-1) != securePort) {
                return true;
            }
        }
        return false;
    }

    private void reconcileQuietly() {
        try {
            reconcile(false);
        } catch (RuntimeException e) {
            // upstream logs and tries again on the next pass (e.g. the store is briefly unreachable)
            LOG.warn("cannot reconcile service {}/{}: {}", NAMESPACE, NAME, e.getMessage());
        }
    }

    /** Stops the loop and withdraws this server from the endpoints (upstream's Stop). */
    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        if (endpoints != null) {
            endpoints.close();
        }
    }
}
