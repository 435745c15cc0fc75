package io.kube4j.store.embedded;

import java.time.Duration;

/**
 * Tuning of the embedded store. Durability is not an option: every acknowledged write has been fsynced.
 *
 * @param snapshotEveryWrites log records between snapshots (a snapshot also waits until the log has grown
 *                            to the size of the previous snapshot, so big states are not rewritten too often)
 * @param watcherQueueLimit   revisions a watcher may have queued before it is cut off as too slow
 * @param segmentBytes        size at which a log segment is closed and a new one started (and the most a segment
 *                            is preallocated to)
 * @param progressInterval    how often an idle watcher gets a progress notification
 * @param leaseCheckInterval  how often leases are checked for expiry
 * @param preallocateSegments whether log segments are zero-filled ahead of the writes, so each fsync flushes data
 *                            only (on by default; off suits a copy-on-write file system, where overwriting does not
 *                            spare the metadata and the zeros are written for nothing)
 * @param historyRevisions    how many revisions of history the store keeps at least before it compacts on its own
 *                            (etcd's {@code --auto-compaction-mode=revision}); once twice as many have gathered it
 *                            compacts to the newest minus this many. 0: only explicit compactions (the API server's
 *                            every five minutes). The history is in the heap here (etcd keeps it in its file), so
 *                            under a heavy write load five minutes of it was most of the heap (115 MB of values in
 *                            bench/apiserver) and every full collection had to walk it.
 */
public record EmbeddedStoreOptions(int snapshotEveryWrites, int watcherQueueLimit, long segmentBytes,
                                   Duration progressInterval, Duration leaseCheckInterval,
                                   boolean preallocateSegments, long historyRevisions) {

    public EmbeddedStoreOptions {
        if (snapshotEveryWrites < 1 || watcherQueueLimit < 1 || segmentBytes < 1024 || historyRevisions < 0) {
            throw new IllegalArgumentException("invalid embedded store options: " + snapshotEveryWrites + ", "
                    + watcherQueueLimit + ", " + segmentBytes + ", " + historyRevisions);
        }
    }

    /**
     * The default history is as long as the log between two snapshots, which is what a restart leaves anyway (the
     * history starts again at the snapshot).
     */
    public static final long DEFAULT_HISTORY_REVISIONS = 10_000;

    public static EmbeddedStoreOptions defaults() {
        return new EmbeddedStoreOptions(10_000, 10_000, 64L << 20, Duration.ofSeconds(1), Duration.ofMillis(100),
                true, DEFAULT_HISTORY_REVISIONS);
    }

    public EmbeddedStoreOptions withSnapshotEveryWrites(int n) {
        return new EmbeddedStoreOptions(n, watcherQueueLimit, segmentBytes, progressInterval, leaseCheckInterval,
                preallocateSegments, historyRevisions);
    }

    public EmbeddedStoreOptions withWatcherQueueLimit(int n) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, n, segmentBytes, progressInterval, leaseCheckInterval,
                preallocateSegments, historyRevisions);
    }

    public EmbeddedStoreOptions withSegmentBytes(long n) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, n, progressInterval, leaseCheckInterval,
                preallocateSegments, historyRevisions);
    }

    public EmbeddedStoreOptions withProgressInterval(Duration d) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, d, leaseCheckInterval,
                preallocateSegments, historyRevisions);
    }

    public EmbeddedStoreOptions withLeaseCheckInterval(Duration d) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, progressInterval, d,
                preallocateSegments, historyRevisions);
    }

    public EmbeddedStoreOptions withPreallocatedSegments(boolean on) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, progressInterval,
                leaseCheckInterval, on, historyRevisions);
    }

    public EmbeddedStoreOptions withHistoryRevisions(long n) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, progressInterval,
                leaseCheckInterval, preallocateSegments, n);
    }
}
