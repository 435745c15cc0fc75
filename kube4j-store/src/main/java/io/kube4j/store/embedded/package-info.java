/**
 * The embedded store: etcd v3's semantics in one process, with no other program to run.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>{@link io.kube4j.store.embedded.MvccIndex}: in memory, every key's retained versions in UTF-8 key order
 *       ({@link io.kube4j.store.embedded.KeyHistory}, like etcd's keyIndex) and every revision's events, for
 *       reads at any revision since the compacted one and for watch replay.</li>
 *   <li>{@link io.kube4j.store.embedded.WriteAheadLog}: segment files {@code wal-<seq>.log}, group commit: one
 *       writer thread covers every write queued during the previous fsync with a single fsync.</li>
 *   <li>{@link io.kube4j.store.embedded.EmbeddedStore}: a write checks its guard, takes the next revision,
 *       updates the index and queues its log record under one lock (so log order is revision order), then waits
 *       for the fsync outside it. Readers and watchers see only revisions up to the durable one.</li>
 *   <li>{@link io.kube4j.store.embedded.WatchHub}: fans durable events out to bounded per-watcher queues;
 *       a watcher that falls behind is cut off with WatchTooSlow, never the writers.</li>
 *   <li>Snapshots ({@code snapshot-<revision>.snap}): every N writes (and once the log has grown as large as
 *       the last snapshot), the live state at a revision, the compacted revision and the leases; the log
 *       segments before it are then deleted. After a restart, history before the snapshot is gone (reads and
 *       watches below it fail with Compacted), as a restarted API server's watch cache would expect.</li>
 * </ul>
 *
 * <h2>On disk</h2>
 * <ul>
 *   <li>{@code KUBE4J_STORE}: marker and format version; {@code LOCK}: held (flock) while a process owns the
 *       directory.</li>
 *   <li>A segment: 8 bytes {@code K4JWAL01}, then records {@code int length, int crc32c(payload), payload};
 *       payload = type byte + fields (put, delete, lease grant, lease revoke with its keys, compact). Segments are
 *       preallocated (zero-filled as {@code spare-segment.tmp} in the background, then renamed), so the newest
 *       one may end in zeros, which is where the log ends; older ones are cut to their records.</li>
 *   <li>A snapshot: {@code K4JSNAP1}, revision, compacted revision, first log segment after it, leases, keys,
 *       trailing crc32c. Written to a temp file, fsynced, renamed, directory fsynced.</li>
 * </ul>
 * A damaged record at the very end of the last segment (nothing but zeros after it) is a write that was never
 * acknowledged: it is cut off with a warning. Damage anywhere else, data after zeros, or zeros ending an older
 * segment stop start-up with {@link io.kube4j.store.embedded.CorruptDataException}.
 */
package io.kube4j.store.embedded;
