package io.kube4j.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.kube4j.store.DeleteResult;
import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchListener;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The Store SPI over a real etcd v3 cluster through jetcd. Every write is one etcd transaction guarded by a
 * revision compare, so the store's revisions are etcd's own and several API servers may share one cluster.
 */
public final class EtcdStore implements Store {
    /** How long connect() waits for a first answer before it gives up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long one request may take before it is reported as Unavailable. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A key no one writes: ranges over it read the store's revision and probe compaction. */
    private static final ByteSequence PROBE_KEY = EtcdKeys.bytes("\u0000kube4j/probe");

    private final Client client;
    private final KV kv;
    private final String endpoints;
    private final EtcdErrors errors;
    private final ExecutorService deliveryPool;
    private final ScheduledExecutorService scheduler;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The highest compacted revision seen; 1 until one is. */
    private final AtomicLong knownCompacted = new AtomicLong(1);
    private final int maxPendingEvents;

    private EtcdStore(Client client, String endpoints, int maxPendingEvents) {
        this.client = client;
        this.maxPendingEvents = maxPendingEvents;
        this.kv = client.getKVClient();
        this.endpoints = endpoints;
        this.errors = new EtcdErrors(endpoints, this::compactedRevision, this::currentRevision);
        this.deliveryPool = Executors.newCachedThreadPool(daemonThreads("kube4j-etcd-watch-"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("kube4j-etcd-resume-"));
    }

    /** Connects to the etcd cluster at {@code endpoints}; fails within a few seconds if none answers. */
    public static EtcdStore connect(List<URI> endpoints) {
        return connect(endpoints, CONNECT_TIMEOUT);
    }

    public static EtcdStore connect(List<URI> endpoints, Duration connectTimeout) {
        return connect(endpoints, connectTimeout, EtcdWatch.MAX_PENDING_EVENTS);
    }

    /** @param maxPendingEvents events a watch queues for a slow listener before cutting it off (tests lower it) */
    static EtcdStore connect(List<URI> endpoints, Duration connectTimeout, int maxPendingEvents) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints given: expected etcd://host:port[,host:port...]");
        }
        String names = endpoints.stream().map(URI::toString).collect(Collectors.joining(","));
        Client client = Client.builder()
                .endpoints(endpoints)
                .connectTimeout(connectTimeout)
                // Fail calls while no member is reachable instead of queueing them until one is.
                .waitForReady(false)
                .build();
        EtcdStore store = new EtcdStore(client, names, maxPendingEvents);
        try {
            store.kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).build())
                    .get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.close();
            throw new StoreException.Unavailable("interrupted while connecting to etcd at " + names, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            store.close();
            Throwable cause = EtcdErrors.unwrap(e);
            String why = e instanceof TimeoutException ? "no answer within " + connectTimeout.toSeconds() + "s"
                    : String.valueOf(cause.getMessage());
            throw new StoreException.Unavailable("cannot reach etcd at " + names + " (" + why
                    + "); is etcd running there? check --store etcd://host:port", cause);
        }
        return store;
    }

    @Override
    public long currentRevision() {
        GetResponse response = await(kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).build()), 0, 0);
        return response.getHeader().getRevision();
    }

    /**
     * etcd (3.4) reports its compacted revision nowhere cheap, but refuses reads below it at once: so this
     * searches for the lowest readable revision, starting from the highest one seen before (compaction only
     * moves forward). About log2(revisions) tiny range requests.
     */
    @Override
    public long compactedRevision() {
        long lo = knownCompacted.get();
        if (readable(lo)) {
            return lo;
        }
        long hi = currentRevision();
        // Invariant: lo is not readable, hi is.
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (readable(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        knownCompacted.accumulateAndGet(hi, Math::max);
        return hi;
    }

    private boolean readable(long revision) {
        checkOpen();
        try {
            kv.get(PROBE_KEY, GetOption.builder().withRevision(revision).withCountOnly(true).build())
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.Unavailable("interrupted while waiting for etcd at " + endpoints, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (EtcdErrors.isCompacted(e)) {
                return false;
            }
            // Not the answer looked for; translate without asking for the compacted revision again.
            throw new StoreException.Unavailable("etcd at " + endpoints + " is unavailable: "
                    + EtcdErrors.unwrap(e).getMessage(), e);
        }
    }

    @Override
    public Optional<KeyValue> get(String key, long revision) {
        ByteSequence k = EtcdKeys.key(key);
        checkRevision(revision);
        GetResponse response = await(kv.get(k, GetOption.builder().withRevision(revision).build()), revision, 0);
        return response.getKvs().isEmpty() ? Optional.empty() : Optional.of(EtcdKeys.toKeyValue(response.getKvs().get(0)));
    }

    @Override
    public ListResult list(String prefix, long revision, String fromKey, long limit) {
        checkRevision(revision);
        if (limit < 0) {
            throw new StoreException.InvalidRequest("limit must not be negative: " + limit);
        }
        GetOption option = GetOption.builder()
                .withRange(EtcdKeys.rangeEnd(prefix))
                .withRevision(revision)
                .withLimit(limit)
                .build();
        GetResponse response = await(kv.get(EtcdKeys.pageStart(prefix, fromKey), option), revision, 0);
        List<KeyValue> items = new ArrayList<>(response.getKvs().size());
        for (io.etcd.jetcd.KeyValue item : response.getKvs()) {
            items.add(EtcdKeys.toKeyValue(item));
        }
        long readAt = revision != 0 ? revision : response.getHeader().getRevision();
        return new ListResult(List.copyOf(items), readAt, response.isMore(), response.getCount() - items.size());
    }

    @Override
    public long count(String prefix) {
        GetOption option = GetOption.builder().withRange(EtcdKeys.rangeEnd(prefix)).withCountOnly(true).build();
        return await(kv.get(EtcdKeys.rangeStart(prefix), option), 0, 0).getCount();
    }

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        ByteSequence k = EtcdKeys.key(key);
        ByteSequence v = value(value);
        TxnResponse response = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, v, putOption(lease)))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0, lease);
        if (!response.isSucceeded()) {
            throw new StoreException.KeyExists(currentOf(key, response));
        }
        long revision = response.getHeader().getRevision();
        return new KeyValue(key, v.getBytes(), revision, revision, 1, lease);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        ByteSequence k = EtcdKeys.key(key);
        ByteSequence v = value(value);
        TxnResponse response = await(kv.txn()
                .If(guard(k, expectedModRevision))
                .Then(Op.put(k, v, PutOption.builder().withLeaseId(lease).withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0, lease);
        if (!response.isSucceeded()) {
            throw refused(key, expectedModRevision, response);
        }
        KeyValue previous = EtcdKeys.toKeyValue(response.getPutResponses().get(0).getPrevKv());
        long revision = response.getHeader().getRevision();
        return new KeyValue(key, v.getBytes(), previous.createRevision(), revision, previous.version() + 1, lease);
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        ByteSequence k = EtcdKeys.key(key);
        TxnResponse response = await(kv.txn()
                .If(guard(k, expectedModRevision))
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0, 0);
        if (!response.isSucceeded()) {
            throw refused(key, expectedModRevision, response);
        }
        DeleteResponse deleted = response.getDeleteResponses().get(0);
        return new DeleteResult(response.getHeader().getRevision(), EtcdKeys.toKeyValue(deleted.getPrevKvs().get(0)));
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        checkRevision(fromRevision);
        // Pin "from the next write" to a real revision now, so a resumed stream neither skips nor repeats.
        long from = fromRevision != 0 ? fromRevision : currentRevision() + 1;
        EtcdWatch watch = new EtcdWatch(client.getWatchClient(), prefix == null ? "" : prefix, from, listener,
                deliveryPool, scheduler, maxPendingEvents, watches::remove);
        watches.add(watch);
        watch.start();
        if (closed.get()) {
            watch.end(new StoreException.Unavailable("the etcd store is closed", null));
        }
        return watch;
    }

    @Override
    public void compact(long revision) {
        if (revision <= 0) {
            throw new StoreException.InvalidRequest("compaction needs a revision above 0, got " + revision);
        }
        try {
            await(kv.compact(revision), revision, 0);
            knownCompacted.accumulateAndGet(revision, Math::max);
        } catch (StoreException.Compacted alreadyDone) {
            // History below an older revision is already gone: compacting there again changes nothing.
        }
    }

    @Override
    public long grantLease(long ttlSeconds) {
        if (ttlSeconds < 0) {
            throw new StoreException.InvalidRequest("a lease TTL must not be negative, got " + ttlSeconds);
        }
        // etcd raises a TTL below its minimum (about 1.5 election timeouts) to that minimum, 0 included.
        return await(client.getLeaseClient().grant(ttlSeconds), 0, 0).getID();
    }

    @Override
    public void keepAlive(long leaseId) {
        LeaseKeepAliveResponse response = await(client.getLeaseClient().keepAliveOnce(leaseId), 0, leaseId);
        // etcd answers a keep-alive of an unknown lease with TTL 0 rather than an error.
        if (response.getTTL() <= 0) {
            throw new StoreException.LeaseNotFound(leaseId);
        }
    }

    @Override
    public void revokeLease(long leaseId) {
        await(client.getLeaseClient().revoke(leaseId), 0, leaseId);
    }

    @Override
    public long leaseTimeToLive(long leaseId) {
        LeaseTimeToLiveResponse response = await(client.getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT), 0, leaseId);
        return response.getTTL() < 0 ? -1 : response.getTTL();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (EtcdWatch watch : List.copyOf(watches)) {
            watch.end(new StoreException.Unavailable("the etcd store is closed", null));
        }
        scheduler.shutdownNow();
        // Let the watches' queues hand over their last events and errors; no new work arrives after this.
        deliveryPool.shutdown();
        client.close();
    }

    @Override
    public String toString() {
        return "EtcdStore{" + endpoints + "}";
    }

    private static Cmp guard(ByteSequence key, long expectedModRevision) {
        if (expectedModRevision == ANY_REVISION) {
            // The key exists: a missing key's revisions compare as 0.
            return new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0));
        }
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
    }

    private static StoreException refused(String key, long expected, TxnResponse response) {
        List<io.etcd.jetcd.KeyValue> found = response.getGetResponses().get(0).getKvs();
        if (found.isEmpty()) {
            return new StoreException.KeyNotFound(key);
        }
        return new StoreException.Conflict(EtcdKeys.toKeyValue(found.get(0)), expected);
    }

    private static KeyValue currentOf(String key, TxnResponse response) {
        List<io.etcd.jetcd.KeyValue> found = response.getGetResponses().get(0).getKvs();
        if (found.isEmpty()) {
            // Deleted between the compare and the read cannot happen inside one txn; keep a clear error anyway.
            throw new StoreException.Unavailable("etcd refused to create " + key + " but returned no current value", null);
        }
        return EtcdKeys.toKeyValue(found.get(0));
    }

    private static PutOption putOption(long lease) {
        return PutOption.builder().withLeaseId(lease).build();
    }

    private static ByteSequence value(byte[] value) {
        return ByteSequence.from(value == null ? new byte[0] : value);
    }

    private static void checkRevision(long revision) {
        if (revision < 0) {
            throw new StoreException.InvalidRequest("a revision must not be negative: " + revision);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreException.Unavailable("the etcd store (" + endpoints + ") is closed", null);
        }
    }

    /** Waits for a jetcd call, translating its failure; {@code revision}/{@code lease} give errors their detail. */
    private <T> T await(CompletableFuture<T> future, long revision, long lease) {
        checkOpen();
        try {
            return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StoreException.Unavailable("interrupted while waiting for etcd at " + endpoints, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException.Unavailable("etcd at " + endpoints + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + "s", e);
        } catch (ExecutionException | RuntimeException e) {
            if (closed.get()) {
                throw new StoreException.Unavailable("the etcd store (" + endpoints + ") is closed", e);
            }
            throw errors.translate(e, revision, lease);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
