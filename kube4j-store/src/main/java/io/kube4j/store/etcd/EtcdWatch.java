package io.kube4j.store.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.kube4j.store.KeyValue;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One SPI watch over jetcd watchers. jetcd re-creates a broken watch stream by itself, but from a revision it
 * guesses (the stream's creation revision), which can skip or repeat events; so this class tracks the next
 * revision it owes the listener and re-creates the etcd watch from exactly there after a transient failure.
 * Events reach the listener through a per-watch serial queue: in order, off jetcd's event loop.
 *
 * <p>Lock order: jetcd calls {@link #failed} holding its own lock, so this class never calls into jetcd while
 * holding {@code lock}.
 */
final class EtcdWatch implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    private static final long RESUME_DELAY_MS = 500;
    /** Events queued for a listener that is not taking them; past this the watch is cut off (WatchTooSlow). */
    static final int MAX_PENDING_EVENTS = 100_000;

    private final io.etcd.jetcd.Watch client;
    private final String prefix;
    private final WatchListener listener;
    private final SerialExecutor delivery;
    private final ScheduledExecutorService scheduler;
    private final Consumer<EtcdWatch> onEnd;
    private final int maxPendingEvents;
    private final Object lock = new Object();
    private final AtomicInteger pending = new AtomicInteger();

    // Guarded by lock.
    private io.etcd.jetcd.Watch.Watcher watcher;
    private long nextRevision;
    private boolean ended;

    // Written only by the delivery queue.
    private long lastDelivered;

    private volatile boolean cutOff;
    private volatile boolean closedByCaller;

    /** @param fromRevision the first revision to deliver; must be a real revision (not 0) */
    EtcdWatch(io.etcd.jetcd.Watch client, String prefix, long fromRevision, WatchListener listener,
              Executor deliveryPool, ScheduledExecutorService scheduler, int maxPendingEvents,
              Consumer<EtcdWatch> onEnd) {
        this.client = client;
        this.prefix = prefix;
        this.listener = listener;
        this.delivery = new SerialExecutor(deliveryPool);
        this.scheduler = scheduler;
        this.onEnd = onEnd;
        this.maxPendingEvents = maxPendingEvents;
        this.nextRevision = fromRevision;
        this.lastDelivered = fromRevision - 1;
    }

    void start() {
        long from;
        synchronized (lock) {
            if (ended) {
                return;
            }
            from = nextRevision;
        }
        WatchOption option = WatchOption.builder()
                .withRange(EtcdKeys.rangeEnd(prefix))
                .withRevision(from)
                .withPrevKV(true)
                .withProgressNotify(true)
                // A member cut off from its leader would keep the stream open and silent: have it cancelled
                // instead, and resume on a member that has a leader.
                .withRequireLeader(true)
                .build();
        io.etcd.jetcd.Watch.Watcher created;
        try {
            created = client.watch(EtcdKeys.rangeStart(prefix), option, new JetcdListener());
        } catch (RuntimeException e) {
            end(new StoreException.Unavailable("cannot watch " + prefix + " on etcd: " + e.getMessage(), e));
            return;
        }
        boolean keep;
        synchronized (lock) {
            keep = !ended;
            if (keep) {
                watcher = created;
            }
        }
        if (!keep) {
            created.close();
        }
    }

    private final class JetcdListener implements io.etcd.jetcd.Watch.Listener {
        @Override
        public void onNext(WatchResponse response) {
            handle(response);
        }

        @Override
        public void onError(Throwable error) {
            failed(error);
        }

        @Override
        public void onCompleted() {
            // jetcd calls this on every close, ours included; an end is reported through onError.
        }
    }

    private void handle(WatchResponse response) {
        boolean tooSlow = false;
        synchronized (lock) {
            if (ended) {
                return;
            }
            if (response.isProgressNotify()) {
                long revision = response.getHeader().getRevision();
                enqueue(() -> listener.onProgress(revision));
                return;
            }
            // One revision may hold several events (a lease's keys all go in one revision), and etcd never
            // splits a revision across responses: so skip by the floor this response started at.
            long floor = nextRevision;
            for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
                WatchEvent event = toEvent(e);
                if (event.revision() < floor) {
                    continue; // delivered before a resume
                }
                nextRevision = event.revision() + 1;
                if (pending.incrementAndGet() > maxPendingEvents) {
                    tooSlow = true;
                    break;
                }
                enqueue(() -> deliver(event));
            }
        }
        if (tooSlow) {
            end(null);
        }
    }

    private static WatchEvent toEvent(io.etcd.jetcd.watch.WatchEvent e) {
        KeyValue prev = e.getPrevKV() == null || e.getPrevKV().getKey().isEmpty()
                ? null : EtcdKeys.toKeyValue(e.getPrevKV());
        if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
            return new WatchEvent(WatchEvent.Type.DELETE, EtcdKeys.toDeletedKeyValue(e.getKeyValue()), prev);
        }
        return new WatchEvent(WatchEvent.Type.PUT, EtcdKeys.toKeyValue(e.getKeyValue()), prev);
    }

    private void deliver(WatchEvent event) {
        pending.decrementAndGet();
        if (cutOff || closedByCaller) {
            return;
        }
        listener.onEvent(event);
        lastDelivered = event.revision();
    }

    private void failed(Throwable error) {
        Throwable t = EtcdErrors.unwrap(error);
        if (t instanceof CompactedException ce) {
            long requested;
            synchronized (lock) {
                requested = nextRevision;
            }
            end(new StoreException.Compacted(requested, ce.getCompactedRevision()));
            return;
        }
        if (t instanceof EtcdException ee && (ee.getErrorCode() == ErrorCode.FAILED_PRECONDITION
                || ee.getErrorCode() == ErrorCode.OUT_OF_RANGE)) {
            end(new StoreException.Unavailable("etcd cancelled the watch on " + prefix + ": " + ee.getMessage(), ee));
            return;
        }
        // A broken stream: drop this jetcd watcher (so jetcd does not resume it from its own guess) and
        // start a new one from the next revision the listener is owed.
        io.etcd.jetcd.Watch.Watcher broken;
        synchronized (lock) {
            if (ended) {
                return;
            }
            broken = watcher;
            watcher = null;
        }
        if (broken != null) {
            broken.close();
        }
        LOG.debug("watch on {} broke, resuming: {}", prefix, t.toString());
        try {
            scheduler.schedule(this::start, RESUME_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            end(new StoreException.Unavailable("the etcd store is closed", null));
        }
    }

    /** Ends the watch with {@code error} (null: the listener was too slow), after the events already queued. */
    void end(StoreException error) {
        io.etcd.jetcd.Watch.Watcher toClose;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            toClose = watcher;
            watcher = null;
            if (error == null) {
                // Drop what is queued: the listener resumes from the last event it really saw.
                cutOff = true;
            }
            enqueue(() -> {
                if (!closedByCaller) {
                    listener.onError(error != null ? error : new StoreException.WatchTooSlow(lastDelivered));
                }
            });
        }
        closeQuietly(toClose);
        onEnd.accept(this);
    }

    private void enqueue(Runnable task) {
        delivery.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a watch listener on {} threw", prefix, e);
            }
        });
    }

    private static void closeQuietly(io.etcd.jetcd.Watch.Watcher w) {
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an etcd watcher failed", e);
            }
        }
    }

    @Override
    public void close() {
        closedByCaller = true;
        io.etcd.jetcd.Watch.Watcher toClose;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            toClose = watcher;
            watcher = null;
        }
        closeQuietly(toClose);
        onEnd.accept(this);
    }
}
