package io.kube4j.store.embedded;

import io.kube4j.store.DeleteResult;
import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The embedded, single-server store: an in-memory MVCC index over a group-committed write-ahead log, with
 * periodic snapshots, leases and watches, following etcd v3's semantics.
 *
 * <p>A write takes the apply lock, checks its guard against the newest state (including writes not yet
 * durable), takes the next revision, updates the index and queues its log record, all in revision order;
 * it then commits it outside the lock: it writes and fsyncs the log itself when no one else is writing, or waits
 * for the writer that is (see {@link WriteAheadLog#commit}). Readers and watchers only look at
 * revisions up to the durable one, so nothing that could still be lost is ever visible.
 *
 * <p>Values handed in or out are not copied: callers must not modify them.
 */
public final class EmbeddedStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    private final DataDirectory dir;
    private final EmbeddedStoreOptions options;
    private final WriteAheadLog.SegmentOpener segmentOpener;
    private final StoreState state = new StoreState();
    private final MvccIndex index = state.index;
    private final LeaseTable leases = state.leases;
    /** Serialises revision assignment, guard checks, index updates and log appends. */
    private final ReentrantLock applyLock = new ReentrantLock();
    /** Held while a snapshot reads the index, so compaction cannot drop versions it still needs. */
    private final ReentrantLock compactionLock = new ReentrantLock();
    /** Every revision up to here is durable and visible. */
    private volatile long durableRevision = 1;
    private volatile boolean closed;

    private WriteAheadLog wal;
    private WatchHub hub;
    private ScheduledExecutorService leaseReaper;
    private ExecutorService snapshotter;
    private final AtomicBoolean snapshotRunning = new AtomicBoolean();
    /** Whether a history compaction (see {@link #compactHistoryIfLong}) is queued or running. */
    private final AtomicBoolean historyCompactionQueued = new AtomicBoolean();
    private long recordsSinceSnapshot;
    private long bytesSinceSnapshot;
    private volatile long lastSnapshotBytes;

    private EmbeddedStore(DataDirectory dir, EmbeddedStoreOptions options, WriteAheadLog.SegmentOpener segmentOpener) {
        this.dir = dir;
        this.options = options;
        this.segmentOpener = segmentOpener;
    }

    /** Opens (creating if needed) the store in {@code dir}, recovering what was written before. */
    public static EmbeddedStore open(Path dir) {
        return open(dir, EmbeddedStoreOptions.defaults());
    }

    public static EmbeddedStore open(Path dir, EmbeddedStoreOptions options) {
        return open(dir, options, WriteAheadLog.SegmentOpener.FILES);
    }

    static EmbeddedStore open(Path dir, EmbeddedStoreOptions options, WriteAheadLog.SegmentOpener segmentOpener) {
        DataDirectory dd = DataDirectory.open(dir);
        EmbeddedStore store = new EmbeddedStore(dd, options, segmentOpener);
        try {
            store.recover();
            store.start();
            return store;
        } catch (IOException e) {
            store.abortOpen();
            throw new UncheckedIOException("cannot open the store in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            store.abortOpen();
            throw e;
        }
    }

    private void abortOpen() {
        closed = true;
        if (wal != null) {
            wal.close();
        }
        dir.close();
    }

    // ---------------------------------------------------------------- start-up

    private void recover() throws IOException {
        Recovery.Result r = Recovery.recover(dir, state);
        durableRevision = state.assignedRevision;
        lastSnapshotBytes = r.snapshotBytes();
        wal = new WriteAheadLog(dir, r.nextSegment(), options.segmentBytes(), options.preallocateSegments(),
                new WalListener(), segmentOpener);
        log.info("store in {} is at revision {} (compacted {})", dir.path(), durableRevision, state.compactedRevision);
    }

    private void start() {
        state.keepEventsFrom(() -> hub.dispatchedRevision() + 1);
        hub = new WatchHub(index, () -> durableRevision, () -> state.compactedRevision, options.watcherQueueLimit(),
                options.progressInterval().toNanos());
        leaseReaper = Executors.newSingleThreadScheduledExecutor(daemon("kube4j-store-leases"));
        long every = Math.max(1, options.leaseCheckInterval().toMillis());
        leaseReaper.scheduleWithFixedDelay(this::expireLeases, every, every, TimeUnit.MILLISECONDS);
        snapshotter = Executors.newSingleThreadExecutor(daemon("kube4j-store-snapshot"));
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- reads

    @Override
    public long currentRevision() {
        return durableRevision;
    }

    /** Open, and its log has not failed: nothing to ask over the network. */
    @Override
    public void checkHealthy() {
        ensureWritable();
    }

    @Override
    public long compactedRevision() {
        return state.compactedRevision;
    }

    @Override
    public Optional<KeyValue> get(String key, long revision) {
        checkKey(key);
        long rev = readRevision(revision);
        KeyValue kv = index.get(key, rev);
        checkStillReadable(rev);
        return Optional.ofNullable(kv);
    }

    @Override
    public ListResult list(String prefix, long revision, String fromKey, long limit) {
        if (prefix == null) {
            throw new StoreException.InvalidRequest("prefix must not be null");
        }
        if (limit < 0) {
            throw new StoreException.InvalidRequest("limit must not be negative: " + limit);
        }
        long rev = readRevision(revision);
        MvccIndex.Page page = index.range(prefix, fromKey, rev, limit);
        checkStillReadable(rev);
        return new ListResult(List.copyOf(page.items()), rev, page.remaining() > 0, page.remaining());
    }

    @Override
    public long count(String prefix) {
        ensureOpen();
        return index.count(prefix, durableRevision);
    }

    private long readRevision(long revision) {
        ensureOpen();
        if (revision < 0) {
            throw new StoreException.InvalidRequest("revision must not be negative: " + revision);
        }
        long current = durableRevision;
        long rev = revision == 0 ? current : revision;
        if (rev > current) {
            throw new StoreException.FutureRevision(rev, current);
        }
        checkStillReadable(rev);
        return rev;
    }

    private void checkStillReadable(long rev) {
        long compacted = state.compactedRevision;
        if (rev < compacted) {
            throw new StoreException.Compacted(rev, compacted);
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        return put(key, value, lease, existing -> existing != null ? new StoreException.KeyExists(existing) : null);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        return put(key, value, lease, existing -> {
            if (existing == null) {
                return new StoreException.KeyNotFound(key);
            }
            if (expectedModRevision != ANY_REVISION && existing.modRevision() != expectedModRevision) {
                return new StoreException.Conflict(existing, expectedModRevision);
            }
            return null;
        });
    }

    /**
     * The one write path of create and update: under the apply lock, the guard sees the key as it is (null if
     * absent) and may refuse; otherwise the next revision is assigned, applied and appended in one step, so log
     * order is revision order. The caller returns only once the record is durable.
     */
    private KeyValue put(String key, byte[] value, long lease, Function<KeyValue, StoreException> guard) {
        checkKey(key);
        checkValue(value);
        Proposal proposal = null;
        KeyValue kv = null;
        StoreException refusal;
        long seen;
        applyLock.lock();
        try {
            ensureWritable();
            KeyHistory history = index.history(key);
            seen = history == null ? 0 : history.latestRevision();
            refusal = guard.apply(history == null ? null : history.latest());
            if (refusal == null && lease != NO_LEASE && leases.get(lease) == null) {
                refusal = new StoreException.LeaseNotFound(lease);
                seen = state.assignedRevision;
            }
            if (refusal == null) {
                long revision = ++state.assignedRevision;
                kv = state.put(revision, key, value, lease, history);
                proposal = new Proposal(new WalRecord.Put(revision, key, value, lease));
                wal.append(proposal);
            }
        } finally {
            applyLock.unlock();
        }
        if (refusal != null) {
            throw refuse(refusal, seen);
        }
        wal.commit(proposal);
        return kv;
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        checkKey(key);
        Proposal proposal = null;
        DeleteResult result = null;
        StoreException refusal = null;
        long seen;
        applyLock.lock();
        try {
            ensureWritable();
            seen = index.latestRevision(key);
            KeyValue existing = index.latest(key);
            if (existing == null) {
                refusal = new StoreException.KeyNotFound(key);
            } else if (expectedModRevision != ANY_REVISION && existing.modRevision() != expectedModRevision) {
                refusal = new StoreException.Conflict(existing, expectedModRevision);
            } else {
                long revision = ++state.assignedRevision;
                state.delete(revision, existing);
                result = new DeleteResult(revision, existing);
                proposal = new Proposal(new WalRecord.Delete(revision, key));
                wal.append(proposal);
            }
        } finally {
            applyLock.unlock();
        }
        if (refusal != null) {
            throw refuse(refusal, seen);
        }
        wal.commit(proposal);
        return result;
    }

    /**
     * A refusal may rest on a write that is not durable yet (the key exists, or is gone, only in a queued
     * write): report it only once the version the check saw is durable, so no caller learns of data that
     * could still vanish.
     */
    private StoreException refuse(StoreException refusal, long seenRevision) {
        awaitDurable(seenRevision);
        return refusal;
    }

    private void awaitDurable(long revision) {
        while (durableRevision < revision) {
            if (wal.failed()) {
                throw new StoreException.Unavailable("the store's log failed", null);
            }
            LockSupport.parkNanos(50_000);
        }
    }

    @Override
    public void compact(long revision) {
        Proposal proposal;
        applyLock.lock();
        try {
            ensureWritable();
            long current = durableRevision;
            if (revision > current) {
                throw new StoreException.FutureRevision(revision, current);
            }
            if (revision <= state.compactedRevision) {
                // several API servers may compact; an older compaction is already done (and etcd's
                // "already compacted" error would only make them log noise)
                return;
            }
            proposal = new Proposal(new WalRecord.Compact(revision));
            wal.append(proposal);
        } finally {
            applyLock.unlock();
        }
        wal.commit(proposal);
        compactionLock.lock();
        try {
            applyLock.lock();
            try {
                state.compact(revision);
            } finally {
                applyLock.unlock();
            }
        } finally {
            compactionLock.unlock();
        }
    }

    // ---------------------------------------------------------------- leases

    @Override
    public long grantLease(long ttlSeconds) {
        if (ttlSeconds < 0) {
            throw new StoreException.InvalidRequest("lease TTL must not be negative: " + ttlSeconds);
        }
        long ttl = Math.max(1, ttlSeconds);
        Proposal proposal;
        long id;
        applyLock.lock();
        try {
            ensureWritable();
            id = leases.newId();
            leases.grant(id, ttl, System.nanoTime());
            proposal = new Proposal(new WalRecord.LeaseGrant(id, ttl));
            wal.append(proposal);
        } finally {
            applyLock.unlock();
        }
        wal.commit(proposal);
        return id;
    }

    @Override
    public void keepAlive(long leaseId) {
        ensureOpen();
        LeaseTable.Lease lease = leases.get(leaseId);
        long now = System.nanoTime();
        if (lease == null || lease.expired(now)) {
            throw new StoreException.LeaseNotFound(leaseId);
        }
        lease.refresh(now);
    }

    @Override
    public void revokeLease(long leaseId) {
        if (!revoke(leaseId, false)) {
            throw new StoreException.LeaseNotFound(leaseId);
        }
    }

    @Override
    public long leaseTimeToLive(long leaseId) {
        ensureOpen();
        LeaseTable.Lease lease = leases.get(leaseId);
        if (lease == null) {
            return -1;
        }
        long left = lease.deadlineNanos - System.nanoTime();
        return Math.max(0, left / 1_000_000_000L);
    }

    /** Returns false if the lease is unknown (or, with onlyIfExpired, was kept alive meanwhile). */
    private boolean revoke(long leaseId, boolean onlyIfExpired) {
        Proposal proposal;
        applyLock.lock();
        try {
            ensureWritable();
            LeaseTable.Lease lease = leases.get(leaseId);
            if (lease == null) {
                return false;
            }
            if (onlyIfExpired && !lease.expired(System.nanoTime())) {
                return true;
            }
            List<String> keys = new ArrayList<>(lease.keys);
            keys.sort(KeyOrder.INSTANCE);
            long revision = keys.isEmpty() ? 0 : ++state.assignedRevision;
            state.revoke(revision, leaseId, keys);
            proposal = new Proposal(new WalRecord.LeaseRevoke(revision, leaseId, keys));
            wal.append(proposal);
        } finally {
            applyLock.unlock();
        }
        wal.commit(proposal);
        return true;
    }

    private void expireLeases() {
        try {
            for (long id : leases.expired(System.nanoTime())) {
                if (closed) {
                    return;
                }
                revoke(id, true);
            }
        } catch (StoreException.Unavailable e) {
            // closing or the log failed: nothing to expire into
        } catch (RuntimeException e) {
            log.warn("lease expiry failed", e);
        }
    }

    // ---------------------------------------------------------------- watches

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        if (prefix == null || listener == null) {
            throw new StoreException.InvalidRequest("watch needs a prefix and a listener");
        }
        if (fromRevision < 0) {
            throw new StoreException.InvalidRequest("revision must not be negative: " + fromRevision);
        }
        ensureOpen();
        if (fromRevision == 0) {
            return hub.watch(prefix, durableRevision + 1, listener);
        }
        long compacted = state.compactedRevision;
        if (fromRevision < compacted || fromRevision < state.historyStart) {
            return hub.failed(prefix, fromRevision, listener, new StoreException.Compacted(fromRevision, compacted));
        }
        return hub.watch(prefix, fromRevision, listener);
    }

    // ---------------------------------------------------------------- snapshots

    private final class WalListener implements WriteAheadLog.Listener {
        @Override
        public void onDurable(List<Proposal> batch, long bytesWritten) {
            long max = durableRevision;
            for (int i = 0, n = batch.size(); i < n; i++) {
                long r = batch.get(i).record.revision();
                if (r > max) {
                    max = r;
                }
            }
            durableRevision = max;
            // the log completes the batch's proposals once it has passed the lead on
            if (hub != null) {
                hub.wake();
            }
            compactHistoryIfLong(max);
            recordsSinceSnapshot += batch.size();
            bytesSinceSnapshot += bytesWritten;
            if (recordsSinceSnapshot >= options.snapshotEveryWrites() && bytesSinceSnapshot >= lastSnapshotBytes
                    && !closed && snapshotter != null && snapshotRunning.compareAndSet(false, true)) {
                recordsSinceSnapshot = 0;
                bytesSinceSnapshot = 0;
                try {
                    snapshotter.execute(EmbeddedStore.this::takeSnapshot);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    snapshotRunning.set(false);
                }
            }
        }

        @Override
        public void onFailure(IOException cause) {
            if (hub != null) {
                hub.wake();
            }
        }
    }

    /**
     * Compacts on the snapshot thread once twice {@link EmbeddedStoreOptions#historyRevisions} revisions of history
     * have gathered, to the newest durable one minus that many (see the option). Runs on the log's thread.
     */
    private void compactHistoryIfLong(long durable) {
        long keep = options.historyRevisions();
        if (keep == 0 || durable - state.compactedRevision <= 2 * keep || closed || snapshotter == null
                || !historyCompactionQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            snapshotter.execute(() -> {
                try {
                    compact(durable - keep);
                } catch (StoreException e) {
                    // closed meanwhile, or the log failed: nothing to compact into
                } finally {
                    historyCompactionQueued.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            historyCompactionQueued.set(false);
        }
    }

    /** Writes the state at the current revision, then deletes the log segments it covers. */
    void takeSnapshot() {
        try {
            compactionLock.lock();
            try {
                long revision;
                long compacted;
                List<SnapshotFile.LeaseEntry> leaseEntries;
                Proposal boundary;
                applyLock.lock();
                try {
                    ensureWritable();
                    revision = state.assignedRevision;
                    compacted = state.compactedRevision;
                    leaseEntries = leases.entries();
                    boundary = new Proposal(new WalRecord.SegmentBoundary());
                    wal.append(boundary);
                } finally {
                    applyLock.unlock();
                }
                wal.commit(boundary);
                long firstSegment = boundary.segmentAfter;
                long bytes = SnapshotFile.write(dir, revision, compacted, firstSegment, leaseEntries,
                        index.liveAt(revision));
                lastSnapshotBytes = bytes;
                for (long seq : dir.segments()) {
                    if (seq < firstSegment) {
                        Files.deleteIfExists(dir.segment(seq));
                    }
                }
                for (long older : dir.snapshots()) {
                    if (older < revision) {
                        Files.deleteIfExists(dir.snapshot(older));
                    }
                }
                dir.fsyncDirectory();
                log.debug("snapshot at revision {} ({} bytes)", revision, bytes);
            } finally {
                compactionLock.unlock();
            }
        } catch (StoreException.Unavailable e) {
            // closed meanwhile
        } catch (IOException | RuntimeException e) {
            log.warn("snapshot of {} failed; the log keeps everything until the next one", dir.path(), e);
        } finally {
            snapshotRunning.set(false);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void ensureOpen() {
        if (closed) {
            throw new StoreException.Unavailable("the store is closed", null);
        }
    }

    /** After a log failure reads still serve the durable state; only writes are refused. */
    private void ensureWritable() {
        ensureOpen();
        if (wal.failed()) {
            throw new StoreException.Unavailable("the store's log failed (see the error logged); restart to recover",
                    null);
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new StoreException.InvalidRequest("key must not be empty");
        }
    }

    private static void checkValue(byte[] value) {
        if (value == null) {
            throw new StoreException.InvalidRequest("value must not be null");
        }
    }

    @Override
    public void close() {
        applyLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            applyLock.unlock();
        }
        leaseReaper.shutdownNow();
        snapshotter.shutdown();
        try {
            if (!snapshotter.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("a snapshot of {} is still running at close", dir.path());
            }
            leaseReaper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wal.close();
        hub.close();
        dir.close();
    }

    /** Watches open now (not yet closed or ended): what a client of the store holds, for diagnostics and tests. */
    public int watchCount() {
        return hub.openCount();
    }

    /** Average number of writes one fsync covered (for diagnostics and load checks). */
    public double writesPerSync() {
        return wal.recordsPerSync();
    }

    @Override
    public String toString() {
        return "EmbeddedStore{" + dir.path() + " revision=" + durableRevision + "}";
    }
}
