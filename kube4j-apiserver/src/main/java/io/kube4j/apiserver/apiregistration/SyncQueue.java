package io.kube4j.apiserver.apiregistration;

import io.kube4j.apiserver.watchcache.CacheListener;
import io.kube4j.apiserver.watchcache.CachedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The work queue of one in-server controller, as client-go's rate-limited queue: a key added while it already waits
 * waits once, a key is never synced twice at once (the executor has one thread), and a failed sync is retried after
 * a per-key backoff (1 s doubling to 64 s) - a store that is briefly unreachable is not hammered. Registered on a
 * watch cache, it queues the name of every object an event is about, as an informer's event handler does.
 */
public final class SyncQueue implements CacheListener {

    private static final Logger LOG = LoggerFactory.getLogger(SyncQueue.class);
    private static final int MAX_BACKOFF_SHIFT = 6;

    private final String name;
    private final Consumer<String> sync;
    private final ScheduledExecutorService executor;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    /** {@code executor} must run one task at a time; it may be shared by several queues. */
    public SyncQueue(String name, Consumer<String> sync, ScheduledExecutorService executor) {
        this.name = name;
        this.sync = sync;
        this.executor = executor;
    }

    /** Queues {@code key}; returns at once (safe from a watch cache's fan-out thread). */
    void add(String key) {
        if (waiting.add(key)) {
            try {
                executor.execute(() -> run(key));
            } catch (RejectedExecutionException e) {
                waiting.remove(key); // shutting down
            }
        }
    }

    private void run(String key) {
        waiting.remove(key);
        try {
            sync.accept(key);
            failures.remove(key);
        } catch (RuntimeException e) {
            int attempts = failures.merge(key, 1, Integer::sum);
            long delaySeconds = 1L << Math.min(attempts - 1, MAX_BACKOFF_SHIFT);
            LOG.warn("{}: cannot sync {} (attempt {}), retrying in {} s: {}", name, key, attempts, delaySeconds,
                    e.getMessage());
            try {
                executor.schedule(() -> add(key), delaySeconds, TimeUnit.SECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                LOG.debug("{}: not retrying {}: shutting down", name, key);
            }
        }
    }

    @Override
    public boolean onEvent(CachedEvent event) {
        String objectName = event.entry().attributes().name();
        if (objectName != null) {
            add(objectName);
        }
        return true;
    }

    @Override
    public void onTerminated(String reason) {
        LOG.debug("{}: watch ended: {}", name, reason);
    }
}
