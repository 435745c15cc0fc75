package io.kube4j.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * What every Store backend must do, as the SPI's javadoc says it. Subclasses supply the store. Each test works
 * under its own key prefix and asserts revisions relative to its own writes, so a backend may share one
 * server (and one global revision counter) across tests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StoreContractTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    protected Store store;
    /** This test's own key prefix, ending in '/'. */
    protected String p;
    private final List<Long> leases = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();

    /** A store for one test; closed by the suite after it. */
    protected abstract Store newStore();

    /** A store that has never been written to; closed by the test that asks for it. */
    protected abstract Store newEmptyStore();

    @BeforeEach
    void openStore(TestInfo info) {
        store = newStore();
        p = "/contract/" + info.getTestMethod().map(m -> m.getName()).orElse("test") + "-"
                + SEQUENCE.incrementAndGet() + "/";
    }

    @AfterEach
    void closeStore() {
        watches.forEach(Watch::close);
        for (long lease : leases) {
            try {
                store.revokeLease(lease);
            } catch (StoreException ignored) {
                // expired or revoked by the test
            }
        }
        store.close();
    }

    // ---------------------------------------------------------------- create, get, update, delete

    @Test
    void createThenGetReturnsTheKeyWithItsRevisions() {
        KeyValue kv = store.create(p + "a", bytes("v1"), Store.NO_LEASE);

        assertThat(kv.key()).isEqualTo(p + "a");
        assertThat(kv.valueAsString()).isEqualTo("v1");
        assertThat(kv.createRevision()).isEqualTo(kv.modRevision());
        assertThat(kv.version()).isEqualTo(1);
        assertThat(kv.lease()).isZero();
        assertThat(store.currentRevision()).isEqualTo(kv.modRevision());
        assertThat(store.get(p + "a")).contains(kv);
        assertThat(store.get(p + "missing")).isEmpty();
    }

    @Test
    void firstWriteOfAnEmptyStoreIsRevisionTwo() {
        try (Store empty = newEmptyStore()) {
            assertThat(empty.currentRevision()).isEqualTo(1);
            assertThat(empty.compactedRevision()).isEqualTo(1);
            assertThat(empty.list("").items()).isEmpty();

            assertThat(empty.create("/first", bytes("x"), Store.NO_LEASE).modRevision()).isEqualTo(2);
            assertThat(empty.create("/second", bytes("y"), Store.NO_LEASE).modRevision()).isEqualTo(3);
            assertThat(empty.currentRevision()).isEqualTo(3);
        }
    }

    @Test
    void everyWriteTakesExactlyOneRevision() {
        KeyValue a = store.create(p + "a", bytes("1"), Store.NO_LEASE);
        KeyValue b = store.create(p + "b", bytes("1"), Store.NO_LEASE);
        KeyValue a2 = store.update(p + "a", bytes("2"), a.modRevision(), Store.NO_LEASE);
        DeleteResult deleted = store.delete(p + "b", b.modRevision());

        assertThat(b.modRevision()).isEqualTo(a.modRevision() + 1);
        assertThat(a2.modRevision()).isEqualTo(a.modRevision() + 2);
        assertThat(deleted.revision()).isEqualTo(a.modRevision() + 3);
        assertThat(store.currentRevision()).isEqualTo(deleted.revision());
    }

    @Test
    void createOfAnExistingKeyFailsWithKeyExistsCarryingTheCurrentValue() {
        KeyValue kv = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        long before = store.currentRevision();

        StoreException.KeyExists e = catchThrowableOfType(StoreException.KeyExists.class,
                () -> store.create(p + "a", bytes("v2"), Store.NO_LEASE));

        assertThat(e).isNotNull();
        assertThat(e.current()).isEqualTo(kv);
        assertThat(store.get(p + "a")).contains(kv);
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void updateWithTheCurrentModRevisionReplacesTheValue() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);

        assertThat(v2.valueAsString()).isEqualTo("v2");
        assertThat(v2.createRevision()).isEqualTo(v1.createRevision());
        assertThat(v2.modRevision()).isEqualTo(v1.modRevision() + 1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.get(p + "a")).contains(v2);
    }

    @Test
    void updateWithAStaleModRevisionFailsWithConflictCarryingTheCurrentValue() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);

        StoreException.Conflict e = catchThrowableOfType(StoreException.Conflict.class,
                () -> store.update(p + "a", bytes("v3"), v1.modRevision(), Store.NO_LEASE));

        assertThat(e).isNotNull();
        assertThat(e.current()).isEqualTo(v2);
        assertThat(store.get(p + "a")).contains(v2);
    }

    @Test
    void updateWithAnyRevisionReplacesWhateverIsThere() {
        store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), Store.ANY_REVISION, Store.NO_LEASE);

        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.get(p + "a")).contains(v2);
    }

    @Test
    void updateOfAMissingKeyFailsWithKeyNotFound() {
        KeyValue other = store.create(p + "other", bytes("x"), Store.NO_LEASE);

        StoreException.KeyNotFound e = catchThrowableOfType(StoreException.KeyNotFound.class,
                () -> store.update(p + "missing", bytes("v"), other.modRevision(), Store.NO_LEASE));
        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo(p + "missing");
        assertThatThrownBy(() -> store.update(p + "missing", bytes("v"), Store.ANY_REVISION, Store.NO_LEASE))
                .isInstanceOf(StoreException.KeyNotFound.class);
        assertThat(store.get(p + "missing")).isEmpty();
    }

    @Test
    void deleteWithTheCurrentModRevisionRemovesTheKeyAndReturnsItsLastValue() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);

        DeleteResult result = store.delete(p + "a", v1.modRevision());

        assertThat(result.revision()).isEqualTo(v1.modRevision() + 1);
        assertThat(result.previous()).isEqualTo(v1);
        assertThat(store.get(p + "a")).isEmpty();
        assertThat(store.currentRevision()).isEqualTo(result.revision());
    }

    @Test
    void deleteWithAStaleModRevisionFailsWithConflict() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);

        StoreException.Conflict e = catchThrowableOfType(StoreException.Conflict.class,
                () -> store.delete(p + "a", v1.modRevision()));

        assertThat(e).isNotNull();
        assertThat(e.current()).isEqualTo(v2);
        assertThat(store.get(p + "a")).contains(v2);
    }

    @Test
    void deleteOfAMissingKeyFailsWithKeyNotFound() {
        assertThatThrownBy(() -> store.delete(p + "missing", Store.ANY_REVISION))
                .isInstanceOf(StoreException.KeyNotFound.class);
        assertThatThrownBy(() -> store.delete(p + "missing", 5))
                .isInstanceOf(StoreException.KeyNotFound.class);
    }

    @Test
    void deleteWithAnyRevisionRemovesWhateverIsThere() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);

        assertThat(store.delete(p + "a", Store.ANY_REVISION).previous()).isEqualTo(v1);
        assertThat(store.get(p + "a")).isEmpty();
    }

    @Test
    void aKeyCreatedAgainAfterDeleteStartsANewLife() {
        KeyValue first = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        store.update(p + "a", bytes("v2"), first.modRevision(), Store.NO_LEASE);
        store.delete(p + "a", Store.ANY_REVISION);

        KeyValue again = store.create(p + "a", bytes("v3"), Store.NO_LEASE);

        assertThat(again.version()).isEqualTo(1);
        assertThat(again.createRevision()).isEqualTo(again.modRevision()).isEqualTo(first.createRevision() + 3);
    }

    @Test
    void anEmptyKeyIsAnInvalidRequest() {
        assertThatThrownBy(() -> store.create("", bytes("v"), Store.NO_LEASE))
                .isInstanceOf(StoreException.InvalidRequest.class);
    }

    @Test
    void anEmptyValueIsAValue() {
        KeyValue kv = store.create(p + "empty", new byte[0], Store.NO_LEASE);

        assertThat(kv.value()).isEmpty();
        assertThat(store.get(p + "empty").orElseThrow().value()).isEmpty();
    }

    @Test
    void valuesOfOneMegabyteRoundTrip() {
        byte[] big = new byte[1024 * 1024];
        new Random(42).nextBytes(big);

        KeyValue kv = store.create(p + "big", big, Store.NO_LEASE);
        KeyValue updated = store.update(p + "big", big, kv.modRevision(), Store.NO_LEASE);

        assertThat(store.get(p + "big").orElseThrow().value()).isEqualTo(big);
        assertThat(store.get(p + "big", kv.modRevision()).orElseThrow().value()).isEqualTo(big);
        assertThat(store.list(p).items()).singleElement().isEqualTo(updated);
    }

    @Test
    void unicodeKeysRoundTripAndSortByTheirUtf8Bytes() {
        // UTF-8 byte order, as etcd sorts: e-acute (C3 A9) < fullwidth A (EF BC A1) < emoji (F0 9F 98 80).
        // Java's UTF-16 String order would put the emoji (a surrogate pair, D83D) before the fullwidth A.
        String acute = p + "caf\u00e9";
        String fullwidth = p + "\uff21";
        String emoji = p + "\ud83d\ude00";
        store.create(emoji, bytes("smile"), Store.NO_LEASE);
        store.create(acute, bytes("coffee"), Store.NO_LEASE);
        store.create(fullwidth, bytes("A"), Store.NO_LEASE);

        assertThat(store.get(acute).orElseThrow().key()).isEqualTo(acute);
        assertThat(store.get(emoji).orElseThrow().valueAsString()).isEqualTo("smile");
        assertThat(store.list(p).items()).extracting(KeyValue::key).containsExactly(acute, fullwidth, emoji);
        assertThat(store.list(p, 0, null, 1).items()).extracting(KeyValue::key).containsExactly(acute);
        assertThat(store.list(p, 0, fullwidth, 0).items()).extracting(KeyValue::key).containsExactly(fullwidth, emoji);
    }

    @Test
    void getAtAnOlderRevisionSeesTheKeyAsItWasThen() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);
        store.delete(p + "a", v2.modRevision());

        assertThat(store.get(p + "a", v1.modRevision())).contains(v1);
        assertThat(store.get(p + "a", v2.modRevision())).contains(v2);
        assertThat(store.get(p + "a", v1.modRevision() - 1)).isEmpty();
        assertThat(store.get(p + "a")).isEmpty();
    }

    @Test
    void readsAtAFutureRevisionFailWithFutureRevision() {
        store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        long future = store.currentRevision() + 1000;

        assertThatThrownBy(() -> store.get(p + "a", future)).isInstanceOf(StoreException.FutureRevision.class);
        assertThatThrownBy(() -> store.list(p, future, null, 0)).isInstanceOf(StoreException.FutureRevision.class);
    }

    // ---------------------------------------------------------------- list and count

    @Test
    void listReturnsTheKeysUnderThePrefixInKeyOrder() {
        String sibling = p.substring(0, p.length() - 1) + "x/c";
        store.create(p + "c", bytes("3"), Store.NO_LEASE);
        store.create(p + "a", bytes("1"), Store.NO_LEASE);
        store.create(sibling, bytes("not mine"), Store.NO_LEASE);
        store.create(p + "b", bytes("2"), Store.NO_LEASE);

        ListResult all = store.list(p);

        assertThat(all.items()).extracting(KeyValue::key).containsExactly(p + "a", p + "b", p + "c");
        assertThat(all.items()).extracting(KeyValue::valueAsString).containsExactly("1", "2", "3");
        assertThat(all.revision()).isEqualTo(store.currentRevision());
        assertThat(all.more()).isFalse();
        assertThat(all.remaining()).isZero();
        assertThat(store.list(p + "nothing-here/").items()).isEmpty();
    }

    @Test
    void listPagesWithLimitAndContinuesAtTheSameRevision() {
        for (int i = 1; i <= 5; i++) {
            store.create(p + "k" + i, bytes("v" + i), Store.NO_LEASE);
        }

        ListResult page1 = store.list(p, 0, null, 2);
        // Writes after the first page must not show through the next pages, which read at page1's revision.
        store.update(p + "k3", bytes("changed"), Store.ANY_REVISION, Store.NO_LEASE);
        store.delete(p + "k5", Store.ANY_REVISION);
        store.create(p + "k6", bytes("new"), Store.NO_LEASE);
        ListResult page2 = store.list(p, page1.revision(), after(page1), 2);
        ListResult page3 = store.list(p, page1.revision(), after(page2), 2);

        assertThat(page1.items()).extracting(KeyValue::key).containsExactly(p + "k1", p + "k2");
        assertThat(page1.more()).isTrue();
        assertThat(page1.remaining()).isEqualTo(3);
        assertThat(page2.items()).extracting(KeyValue::key).containsExactly(p + "k3", p + "k4");
        assertThat(page2.items().get(0).valueAsString()).isEqualTo("v3");
        assertThat(page2.revision()).isEqualTo(page1.revision());
        assertThat(page2.more()).isTrue();
        assertThat(page2.remaining()).isEqualTo(1);
        assertThat(page3.items()).extracting(KeyValue::key).containsExactly(p + "k5");
        assertThat(page3.more()).isFalse();
        assertThat(page3.remaining()).isZero();
    }

    @Test
    void listAtAnOlderRevisionSeesThePrefixAsItWasThen() {
        KeyValue a = store.create(p + "a", bytes("a1"), Store.NO_LEASE);
        KeyValue b = store.create(p + "b", bytes("b1"), Store.NO_LEASE);
        long then = store.currentRevision();
        store.update(p + "a", bytes("a2"), a.modRevision(), Store.NO_LEASE);
        store.delete(p + "b", b.modRevision());
        store.create(p + "c", bytes("c1"), Store.NO_LEASE);

        ListResult old = store.list(p, then, null, 0);
        ListResult now = store.list(p);

        assertThat(old.revision()).isEqualTo(then);
        assertThat(old.items()).containsExactly(a, b);
        assertThat(now.items()).extracting(KeyValue::valueAsString).containsExactly("a2", "c1");
    }

    @Test
    void countCountsTheKeysUnderThePrefixNow() {
        store.create(p + "a", bytes("1"), Store.NO_LEASE);
        store.create(p + "b", bytes("2"), Store.NO_LEASE);
        store.create(p + "c", bytes("3"), Store.NO_LEASE);
        store.create(p.substring(0, p.length() - 1) + "x", bytes("sibling"), Store.NO_LEASE);
        assertThat(store.count(p)).isEqualTo(3);

        store.delete(p + "b", Store.ANY_REVISION);

        assertThat(store.count(p)).isEqualTo(2);
        assertThat(store.count(p + "zzz/")).isZero();
    }

    // ---------------------------------------------------------------- compaction

    @Test
    void compactionForgetsHistoryBelowTheRevision() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);
        KeyValue v3 = store.update(p + "a", bytes("v3"), v2.modRevision(), Store.NO_LEASE);

        store.compact(v2.modRevision());

        assertThat(store.compactedRevision()).isEqualTo(v2.modRevision());
        StoreException.Compacted e = catchThrowableOfType(StoreException.Compacted.class,
                () -> store.get(p + "a", v1.modRevision()));
        assertThat(e).isNotNull();
        assertThat(e.compactedRevision()).isEqualTo(v2.modRevision());
        assertThatThrownBy(() -> store.list(p, v1.modRevision(), null, 0)).isInstanceOf(StoreException.Compacted.class);
        assertThat(store.get(p + "a", v2.modRevision())).contains(v2);
        assertThat(store.list(p, v2.modRevision(), null, 0).items()).containsExactly(v2);
        assertThat(store.get(p + "a")).contains(v3);
    }

    /** Several API servers may compact one etcd cluster: the later, older compaction must not fail. */
    @Test
    void compactingAgainAtAnOlderRevisionChangesNothing() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);
        store.compact(v2.modRevision());

        store.compact(v1.modRevision());

        assertThat(store.compactedRevision()).isEqualTo(v2.modRevision());
        assertThat(store.get(p + "a", v2.modRevision())).contains(v2);
    }

    @Test
    void compactingAFutureRevisionFailsWithFutureRevision() {
        long future = store.currentRevision() + 1000;

        assertThatThrownBy(() -> store.compact(future)).isInstanceOf(StoreException.FutureRevision.class);
    }

    @Test
    void aWatchFromACompactedRevisionFailsWithCompacted() {
        KeyValue v1 = store.create(p + "a", bytes("v1"), Store.NO_LEASE);
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision(), Store.NO_LEASE);
        KeyValue v3 = store.update(p + "a", bytes("v3"), v2.modRevision(), Store.NO_LEASE);
        store.compact(v2.modRevision());

        RecordingListener tooOld = watch(p, v1.modRevision());
        RecordingListener atCompaction = watch(p, v2.modRevision());

        await().atMost(PATIENCE).until(() -> !tooOld.errors().isEmpty());
        assertThat(tooOld.errors()).singleElement().isInstanceOf(StoreException.Compacted.class);
        assertThat(((StoreException.Compacted) tooOld.errors().get(0)).compactedRevision()).isEqualTo(v2.modRevision());
        assertThat(tooOld.events()).isEmpty();
        await().atMost(PATIENCE).until(() -> atCompaction.events().size() == 2);
        assertThat(atCompaction.revisions()).containsExactly(v2.modRevision(), v3.modRevision());
        assertThat(atCompaction.errors()).isEmpty();
    }

    // ---------------------------------------------------------------- watch

    @Test
    void aWatchFromAPastRevisionReplaysHistoryThenGoesLiveInOrderWithPreviousValues() {
        KeyValue a1 = store.create(p + "a", bytes("a1"), Store.NO_LEASE);
        KeyValue a2 = store.update(p + "a", bytes("a2"), a1.modRevision(), Store.NO_LEASE);
        KeyValue b1 = store.create(p + "b", bytes("b1"), Store.NO_LEASE);
        DeleteResult aGone = store.delete(p + "a", a2.modRevision());

        RecordingListener seen = watch(p, a1.modRevision());
        await().atMost(PATIENCE).until(() -> seen.events().size() == 4);
        KeyValue c1 = store.create(p + "c", bytes("c1"), Store.NO_LEASE);
        await().atMost(PATIENCE).until(() -> seen.events().size() == 5);

        List<WatchEvent> events = seen.events();
        assertThat(events).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT,
                WatchEvent.Type.PUT, WatchEvent.Type.DELETE, WatchEvent.Type.PUT);
        assertThat(seen.revisions()).containsExactly(a1.modRevision(), a2.modRevision(), b1.modRevision(),
                aGone.revision(), c1.modRevision());
        assertThat(events.get(0).kv()).isEqualTo(a1);
        assertThat(events.get(0).prev()).isNull();
        assertThat(events.get(1).kv()).isEqualTo(a2);
        assertThat(events.get(1).prev()).isEqualTo(a1);
        assertThat(events.get(2).kv()).isEqualTo(b1);
        WatchEvent delete = events.get(3);
        assertThat(delete.kv().key()).isEqualTo(p + "a");
        assertThat(delete.kv().value()).isNull();
        assertThat(delete.kv().modRevision()).isEqualTo(aGone.revision());
        assertThat(delete.prev()).isEqualTo(a2);
        assertThat(events.get(4).kv()).isEqualTo(c1);
        assertThat(seen.errors()).isEmpty();
    }

    @Test
    void aWatchFromZeroSeesOnlyLaterWrites() {
        store.create(p + "before", bytes("x"), Store.NO_LEASE);

        RecordingListener seen = watch(p, 0);
        KeyValue after = store.create(p + "after", bytes("y"), Store.NO_LEASE);

        await().atMost(PATIENCE).until(() -> !seen.events().isEmpty());
        assertThat(seen.events()).singleElement().satisfies(e -> assertThat(e.kv()).isEqualTo(after));
    }

    @Test
    void aWatchSeesOnlyKeysUnderItsPrefix() {
        RecordingListener seen = watch(p + "mine/", 0);
        store.create(p + "mine-not/a", bytes("x"), Store.NO_LEASE);
        store.create(p + "other/a", bytes("x"), Store.NO_LEASE);
        KeyValue mine = store.create(p + "mine/a", bytes("y"), Store.NO_LEASE);

        await().atMost(PATIENCE).until(() -> !seen.events().isEmpty());
        assertThat(seen.events()).extracting(e -> e.kv().key()).containsExactly(mine.key());
    }

    @Test
    void aWatchResumedFromTheRevisionAfterItsLastEventMissesAndRepeatsNothing() {
        KeyValue first = store.create(p + "a", bytes("1"), Store.NO_LEASE);
        RecordingListener before = new RecordingListener();
        Watch w = store.watch(p, first.modRevision(), before);
        store.update(p + "a", bytes("2"), Store.ANY_REVISION, Store.NO_LEASE);
        await().atMost(PATIENCE).until(() -> before.events().size() == 2);
        w.close();
        long last = before.revisions().get(1);

        KeyValue during1 = store.update(p + "a", bytes("3"), Store.ANY_REVISION, Store.NO_LEASE);
        KeyValue during2 = store.create(p + "b", bytes("1"), Store.NO_LEASE);
        RecordingListener after = watch(p, last + 1);
        KeyValue live = store.update(p + "b", bytes("2"), Store.ANY_REVISION, Store.NO_LEASE);

        await().atMost(PATIENCE).until(() -> after.events().size() == 3);
        assertThat(after.revisions()).containsExactly(during1.modRevision(), during2.modRevision(), live.modRevision());
        assertThat(before.events()).hasSize(2);
        assertThat(before.errors()).isEmpty();
    }

    @Test
    void aWatchDeliversConcurrentWritesOnceEachInRevisionOrder() throws Exception {
        RecordingListener seen = watch(p, 0);
        int writers = 4;
        int perWriter = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        store.create(p + "w" + id + "-" + i, bytes("x"), Store.NO_LEASE);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        await().atMost(PATIENCE).until(() -> seen.events().size() >= writers * perWriter);
        List<Long> revisions = seen.revisions();
        assertThat(revisions).hasSize(writers * perWriter).isSorted().doesNotHaveDuplicates();
        assertThat(seen.events()).extracting(e -> e.kv().key()).doesNotHaveDuplicates();
    }

    @Test
    void closingAWatchStopsItWithoutAnError() {
        RecordingListener closed = new RecordingListener();
        Watch w = store.watch(p, 0, closed);
        store.create(p + "a", bytes("1"), Store.NO_LEASE);
        await().atMost(PATIENCE).until(() -> closed.events().size() == 1);

        w.close();
        w.close();
        RecordingListener witness = watch(p, 0);
        store.create(p + "b", bytes("1"), Store.NO_LEASE);
        await().atMost(PATIENCE).until(() -> witness.events().size() == 1);

        assertThat(closed.events()).hasSize(1);
        assertThat(closed.errors()).isEmpty();
    }

    @Test
    void closingTheStoreEndsItsWatchesWithUnavailable() {
        Store other = newStore();
        RecordingListener seen = new RecordingListener();
        other.watch(p, 0, seen);

        other.close();

        await().atMost(PATIENCE).until(() -> !seen.errors().isEmpty());
        assertThat(seen.errors()).singleElement().isInstanceOf(StoreException.Unavailable.class);
        assertThatThrownBy(() -> other.get(p + "a")).isInstanceOf(StoreException.Unavailable.class);
    }

    // ---------------------------------------------------------------- leases

    @Test
    void keysOnAnExpiredLeaseAreDeletedWithDeleteEvents() {
        long lease = lease(1);
        KeyValue kv = store.create(p + "a", bytes("alive"), lease);
        store.create(p + "kept", bytes("no lease"), Store.NO_LEASE);
        RecordingListener seen = watch(p, kv.modRevision());
        assertThat(kv.lease()).isEqualTo(lease);
        assertThat(store.get(p + "a").orElseThrow().lease()).isEqualTo(lease);

        await().atMost(PATIENCE).until(() -> store.get(p + "a").isEmpty());

        await().atMost(PATIENCE).until(() -> seen.events().stream().anyMatch(e -> e.type() == WatchEvent.Type.DELETE));
        WatchEvent delete = seen.events().stream().filter(e -> e.type() == WatchEvent.Type.DELETE).findFirst().orElseThrow();
        assertThat(delete.kv().key()).isEqualTo(p + "a");
        assertThat(delete.prev()).isEqualTo(kv);
        assertThat(store.get(p + "kept")).isPresent();
        await().atMost(PATIENCE).until(() -> store.leaseTimeToLive(lease) == -1);
    }

    @Test
    void revokingALeaseDeletesItsKeysNow() {
        long lease = lease(60);
        store.create(p + "a", bytes("1"), lease);
        store.create(p + "b", bytes("2"), lease);
        RecordingListener seen = watch(p, 0);

        store.revokeLease(lease);

        assertThat(store.count(p)).isZero();
        assertThat(store.leaseTimeToLive(lease)).isEqualTo(-1);
        assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(StoreException.LeaseNotFound.class);
        assertThatThrownBy(() -> store.revokeLease(lease)).isInstanceOf(StoreException.LeaseNotFound.class);
        await().atMost(PATIENCE).until(() -> seen.events().size() == 2);
        assertThat(seen.events()).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
    }

    @Test
    void timeToLiveReportsTheSecondsLeft() {
        long lease = lease(30);

        assertThat(store.leaseTimeToLive(lease)).isBetween(20L, 30L);
    }

    @Test
    void keepAliveRestartsTheTtl() {
        long lease = lease(10);
        store.create(p + "a", bytes("1"), lease);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> store.leaseTimeToLive(lease) <= 8);

        store.keepAlive(lease);

        assertThat(store.leaseTimeToLive(lease)).isGreaterThan(8);
        assertThat(store.get(p + "a")).isPresent();
    }

    @Test
    void anUnknownLeaseIsNotFound() {
        long unknown = 0x1234_5678_9abcL;

        assertThatThrownBy(() -> store.keepAlive(unknown)).isInstanceOf(StoreException.LeaseNotFound.class);
        assertThatThrownBy(() -> store.revokeLease(unknown)).isInstanceOf(StoreException.LeaseNotFound.class);
        assertThat(store.leaseTimeToLive(unknown)).isEqualTo(-1);
        assertThatThrownBy(() -> store.create(p + "a", bytes("1"), unknown))
                .isInstanceOf(StoreException.LeaseNotFound.class);
        assertThat(store.get(p + "a")).isEmpty();
    }

    @Test
    void aNegativeLeaseTtlIsAnInvalidRequest() {
        assertThatThrownBy(() -> store.grantLease(-5)).isInstanceOf(StoreException.InvalidRequest.class);
    }

    @Test
    void aLeaseTtlOfZeroIsRaisedToTheStoresMinimum() {
        // As etcd does: a TTL below its minimum is granted with the minimum.
        long lease = lease(0);

        assertThat(store.leaseTimeToLive(lease)).isNotNegative();
        KeyValue kv = store.create(p + "a", bytes("1"), lease);
        assertThat(kv.lease()).isEqualTo(lease);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentCompareAndSwapLosesNoIncrement() throws Exception {
        store.create(p + "counter", bytes("0"), Store.NO_LEASE);
        int threads = 4;
        int increments = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        KeyValue cur = store.get(p + "counter").orElseThrow();
                        while (true) {
                            int next = Integer.parseInt(cur.valueAsString()) + 1;
                            try {
                                store.update(p + "counter", bytes(Integer.toString(next)), cur.modRevision(), Store.NO_LEASE);
                                break;
                            } catch (StoreException.Conflict c) {
                                cur = c.current();
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        KeyValue counter = store.get(p + "counter").orElseThrow();
        assertThat(counter.valueAsString()).isEqualTo(Integer.toString(threads * increments));
        assertThat(counter.version()).isEqualTo(threads * increments + 1);
    }

    // ---------------------------------------------------------------- helpers

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The fromKey that continues a listing right after {@code page}'s last key. */
    private static String after(ListResult page) {
        return page.items().get(page.items().size() - 1).key() + "\u0000";
    }

    private RecordingListener watch(String prefix, long fromRevision) {
        RecordingListener listener = new RecordingListener();
        watches.add(store.watch(prefix, fromRevision, listener));
        return listener;
    }

    private long lease(long ttlSeconds) {
        long id = store.grantLease(ttlSeconds);
        leases.add(id);
        return id;
    }
}
