package io.kube4j.apiserver;

import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's control-plane system-namespaces controller: every {@link #INTERVAL} it creates whichever of
 * {@code default}, {@code kube-system}, {@code kube-public} and {@code kube-node-lease} does not exist. Only
 * kube-node-lease can actually go (namespace lifecycle refuses to delete the other three); a deleted one exists
 * while it is terminating and is created again on the first pass after the namespace controller removed it.
 */
final class SystemNamespacesController {

    /** Upstream's interval (the controller's wait.Until period). */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(SystemNamespacesController.class);

    private final Resources resources;
    private final Duration interval;

    SystemNamespacesController(Resources resources) {
        this(resources, INTERVAL);
    }

    /** {@code interval}: shorter in tests, so that they need not wait upstream's minute. */
    SystemNamespacesController(Resources resources, Duration interval) {
        this.resources = resources;
        this.interval = interval;
    }

    /**
     * Creates the namespaces now (errors propagate: a server that cannot write them should not start), then again
     * every interval on {@code timers}; the task ends when the timers are shut down.
     */
    SystemNamespacesController start(ScheduledExecutorService timers) {
        Bootstrap.run(resources);
        timers.scheduleWithFixedDelay(this::ensureQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: creates the missing system namespaces; returns their names. */
    List<String> ensure() {
        List<String> created = Bootstrap.run(resources);
        if (!created.isEmpty()) {
            LOG.info("created the missing system namespaces {}", created);
        }
        return created;
    }

    private void ensureQuietly() {
        try {
            ensure();
        } catch (RuntimeException e) {
            // upstream logs and tries again on the next pass (e.g. the store is briefly unreachable)
            LOG.warn("cannot create the system namespaces: {}", e.getMessage());
        }
    }
}
