package io.kube4j.apiserver.registry;

import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Compacts the store's history as kube-apiserver does (every 5 minutes by default): each run compacts up to the
 * revision the previous run saw, so history of about one interval stays readable for watches and lists at an
 * older resourceVersion, and nothing older is kept in memory.
 */
public final class Compactor implements Runnable {

    /** Upstream's --etcd-compaction-interval default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Store store;
    private long previousRevision;

    public Compactor(Store store) {
        this.store = store;
    }

    /** Runs a compactor every {@code interval} on {@code timers}; the first run only records the revision. */
    public static ScheduledFuture<?> schedule(Store store, ScheduledExecutorService timers, Duration interval) {
        Compactor compactor = new Compactor(store);
        long millis = interval.toMillis();
        timers.execute(compactor);
        return timers.scheduleWithFixedDelay(compactor, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void run() {
        try {
            long current = store.currentRevision();
            if (previousRevision > 0 && previousRevision > store.compactedRevision()) {
                store.compact(previousRevision);
                LOG.debug("compacted the store at revision {}", previousRevision);
            }
            previousRevision = current;
        } catch (StoreException e) {
            // another API server over the same etcd may have compacted further: that is as good
            LOG.warn("compaction failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("compaction failed", e);
        }
    }
}
