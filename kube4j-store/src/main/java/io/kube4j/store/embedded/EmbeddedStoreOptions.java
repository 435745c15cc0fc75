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
 */
public record EmbeddedStoreOptions(int snapshotEveryWrites, int watcherQueueLimit, long segmentBytes,
                                   Duration progressInterval, Duration leaseCheckInterval,
                                   boolean preallocateSegments) {

    public EmbeddedStoreOptions {
        if (snapshotEveryWrites < 1 || watcherQueueLimit < 1 || segmentBytes < 1024) {
            throw new IllegalArgumentException("invalid embedded store options: " + snapshotEveryWrites + ", "
                    + watcherQueueLimit + ", " + segmentBytes);
        }
    }

    public static EmbeddedStoreOptions defaults() {
        return new EmbeddedStoreOptions(10_000, 10_000, 64L << 20, Duration.ofSeconds(1), Duration.ofMillis(100),
                true);
    }

    public EmbeddedStoreOptions withSnapshotEveryWrites(int n) {
        return new EmbeddedStoreOptions(n, watcherQueueLimit, segmentBytes, progressInterval, leaseCheckInterval,
                preallocateSegments);
    }

    public EmbeddedStoreOptions withWatcherQueueLimit(int n) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, n, segmentBytes, progressInterval, leaseCheckInterval,
                preallocateSegments);
    }

    public EmbeddedStoreOptions withSegmentBytes(long n) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, n, progressInterval, leaseCheckInterval,
                preallocateSegments);
    }

    public EmbeddedStoreOptions withProgressInterval(Duration d) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, d, leaseCheckInterval,
                preallocateSegments);
    }

    public EmbeddedStoreOptions withLeaseCheckInterval(Duration d) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, progressInterval, d,
                preallocateSegments);
    }

    public EmbeddedStoreOptions withPreallocatedSegments(boolean on) {
        return new EmbeddedStoreOptions(snapshotEveryWrites, watcherQueueLimit, segmentBytes, progressInterval,
                leaseCheckInterval, on);
    }
}
