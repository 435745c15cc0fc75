package io.kube4j.apiserver.health;

import io.kube4j.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /healthz}, {@code /livez} and {@code /readyz} as upstream's {@code k8s.io/apiserver/pkg/server/healthz}
 * answers them: named checks - {@code ping}, {@code etcd} (the store can serve: open, its log not failed, or etcd
 * answering within {@link #STORE_TIMEOUT}), one {@code poststarthook/NAME} per start step that must finish before
 * the server is complete - and, for readiness only, {@code shutdown}. {@code ?verbose} lists them; a failure lists
 * them always, with a 500; {@code ?exclude=NAME} leaves one out; {@code /readyz/NAME} runs one alone.
 */
public final class HealthChecks {

    /** Upstream's --etcd-healthcheck-timeout default. */
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    /** One named check: returns when healthy, throws saying why not (logged; the answer withholds it). */
    public interface Check {
        void run() throws Exception;
    }

    private record Named(String name, Check check) {
    }

    /** The status code and plain-text body of an answer. */
    public record Answer(int code, String body) {
    }

    private final List<Named> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<String> pendingHooks = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public HealthChecks(Store store) {
        checks.add(new Named("ping", () -> { }));
        checks.add(new Named("etcd", () -> checkStore(store)));
    }

    /**
     * Registers a start step (upstream's post-start hook {@code name}) that is pending until {@link #hookDone}: the
     * server is not live, healthy nor ready before it has run.
     */
    public HealthChecks hook(String name) {
        pendingHooks.add(name);
        checks.add(new Named("poststarthook/" + name, () -> {
            if (pendingHooks.contains(name)) {
                throw new IllegalStateException("not finished");
            }
        }));
        return this;
    }

    public void hookDone(String name) {
        pendingHooks.remove(name);
    }

    /** The server is stopping: no longer ready (upstream's shutdown check), still live. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    private static void checkStore(Store store) throws Exception {
        // on a thread of its own: a store that does not answer must not hold the probe longer than the timeout
        CompletableFuture<Void> probe = CompletableFuture.runAsync(store::checkHealthy);
        try {
            probe.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            probe.cancel(true);
            throw new TimeoutException("no answer within " + STORE_TIMEOUT.toSeconds() + "s");
        }
    }

    private List<Named> checksOf(String endpoint) {
        List<Named> of = new ArrayList<>(checks);
        if (endpoint.equals("readyz")) {
            of.add(new Named("shutdown", () -> {
                if (shuttingDown) {
                    throw new IllegalStateException("the server is shutting down");
                }
            }));
        }
        return of;
    }

    /** Whether {@code /endpoint/name} names a check (others are 404s). */
    public boolean has(String endpoint, String name) {
        return checksOf(endpoint).stream().anyMatch(c -> c.name().equals(name));
    }

    /** {@code GET /endpoint/name}: upstream's adaptCheckToHandler. */
    public Answer one(String endpoint, String name) {
        for (Named c : checksOf(endpoint)) {
            if (c.name().equals(name)) {
                String failure = failure(endpoint, c);
                return failure == null ? new Answer(200, "ok")
                        : new Answer(500, "internal server error: " + failure + "\n");
            }
        }
        throw new IllegalArgumentException("no check " + name);
    }

    /** {@code GET /endpoint}: upstream's handleRootHealth, line for line. */
    public Answer all(String endpoint, boolean verbose, List<String> exclude) {
        Set<String> excluded = new LinkedHashSet<>(exclude);
        StringBuilder lines = new StringBuilder();
        boolean failed = false;
        for (Named c : checksOf(endpoint)) {
            if (excluded.remove(c.name())) {
                lines.append("[+]").append(c.name()).append(" excluded: ok\n");
                continue;
            }
            if (failure(endpoint, c) != null) {
                lines.append("[-]").append(c.name()).append(" failed: reason withheld\n");
                failed = true;
            } else {
                lines.append("[+]").append(c.name()).append(" ok\n");
            }
        }
        if (!excluded.isEmpty()) {
            lines.append("warn: some health checks cannot be excluded: no matches for ")
                    .append(String.join(",", excluded.stream().map(n -> "\"" + n + "\"").toList())).append('\n');
        }
        if (failed) {
            return new Answer(500, lines + endpoint + " check failed\n");
        }
        return new Answer(200, verbose ? lines + endpoint + " check passed\n" : "ok");
    }

    /** Null when {@code check} passes, else why (logged, as upstream logs the reasons it withholds). */
    private static String failure(String endpoint, Named check) {
        try {
            check.check().run();
            return null;
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.info("{} check {} failed: {}", endpoint, check.name(), why);
            return why;
        }
    }
}
