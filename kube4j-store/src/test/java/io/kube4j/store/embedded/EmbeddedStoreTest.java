package io.kube4j.store.embedded;

import io.kube4j.store.DeleteResult;
import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedStoreTest {
    @TempDir
    Path dir;
    EmbeddedStore store;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir.resolve("store"), EmbeddedStoreOptions.defaults()
                .withProgressInterval(Duration.ofMillis(100)).withLeaseCheckInterval(Duration.ofMillis(20)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void revisionsStartLikeEtcd() {
        assertThat(store.currentRevision()).isEqualTo(1);
        assertThat(store.compactedRevision()).isEqualTo(1);
        KeyValue a = store.create("/a", b("1"), Store.NO_LEASE);
        assertThat(a.modRevision()).isEqualTo(2);
        assertThat(a.createRevision()).isEqualTo(2);
        assertThat(a.version()).isEqualTo(1);
        assertThat(store.currentRevision()).isEqualTo(2);
        KeyValue a2 = store.update("/a", b("2"), 2, Store.NO_LEASE);
        assertThat(a2.modRevision()).isEqualTo(3);
        assertThat(a2.createRevision()).isEqualTo(2);
        assertThat(a2.version()).isEqualTo(2);
        assertThat(store.get("/a").orElseThrow().valueAsString()).isEqualTo("2");
        assertThat(store.get("/a", 2).orElseThrow().valueAsString()).isEqualTo("1");
        assertThat(store.get("/a", 1)).isEmpty();
    }

    @Test
    void guardsRefuseLikeEtcd() {
        KeyValue a = store.create("/a", b("1"), 0);
        assertThatThrownBy(() -> store.create("/a", b("x"), 0)).isInstanceOfSatisfying(
                StoreException.KeyExists.class, e -> assertThat(e.current()).isEqualTo(a));
        assertThatThrownBy(() -> store.update("/a", b("x"), 99, 0)).isInstanceOfSatisfying(
                StoreException.Conflict.class, e -> assertThat(e.current()).isEqualTo(a));
        assertThatThrownBy(() -> store.delete("/a", 99)).isInstanceOf(StoreException.Conflict.class);
        assertThatThrownBy(() -> store.update("/missing", b("x"), 0, 0)).isInstanceOf(StoreException.KeyNotFound.class);
        assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(StoreException.KeyNotFound.class);
        assertThatThrownBy(() -> store.get("/a", 100)).isInstanceOf(StoreException.FutureRevision.class);
        assertThat(store.currentRevision()).isEqualTo(2);
        DeleteResult d = store.delete("/a", a.modRevision());
        assertThat(d.revision()).isEqualTo(3);
        assertThat(d.previous()).isEqualTo(a);
        assertThat(store.get("/a")).isEmpty();
        KeyValue again = store.create("/a", b("new"), 0);
        assertThat(again.version()).isEqualTo(1);
        assertThat(again.createRevision()).isEqualTo(4);
    }

    @Test
    void listsPagesAtRevisions() {
        for (int i = 0; i < 5; i++) {
            store.create("/pods/ns/p" + i, b("v" + i), 0);
        }
        store.create("/podsx", b("other"), 0);
        long rev = store.currentRevision();
        store.delete("/pods/ns/p0", 0);
        ListResult page = store.list("/pods/", rev, null, 2);
        assertThat(page.items()).extracting(KeyValue::key).containsExactly("/pods/ns/p0", "/pods/ns/p1");
        assertThat(page.more()).isTrue();
        assertThat(page.remaining()).isEqualTo(3);
        assertThat(page.revision()).isEqualTo(rev);
        ListResult next = store.list("/pods/", rev, "/pods/ns/p1\0", 0);
        assertThat(next.items()).extracting(KeyValue::key).containsExactly("/pods/ns/p2", "/pods/ns/p3", "/pods/ns/p4");
        assertThat(next.more()).isFalse();
        assertThat(store.list("/pods/").items()).hasSize(4);
        assertThat(store.count("/pods/")).isEqualTo(4);
        assertThat(store.count("")).isEqualTo(5);
    }

    @Test
    void aLongHistoryIsCompactedToTheRetainedRevisions() {
        store.close();
        store = EmbeddedStore.open(dir.resolve("bounded"), EmbeddedStoreOptions.defaults().withHistoryRevisions(10));
        store.create("/a", b("0"), 0);                           // revision 2
        for (int i = 1; i <= 19; i++) {
            store.update("/a", b(Integer.toString(i)), 0, 0);   // 3..21: 20 since the last compaction, not more
        }
        assertThat(store.compactedRevision()).isEqualTo(1);
        store.update("/a", b("20"), 0, 0);                       // 22: more than twice the ten kept
        await().until(() -> store.compactedRevision() == 12);     // the newest minus the ten kept
        assertThatThrownBy(() -> store.get("/a", 11)).isInstanceOf(StoreException.Compacted.class);
        assertThat(store.get("/a", 12).orElseThrow().valueAsString()).isEqualTo("10");
        assertThat(store.get("/a").orElseThrow().valueAsString()).isEqualTo("20");
    }

    @Test
    void withoutAHistoryBoundOnlyExplicitCompactionsForgetRevisions() {
        store.close();
        store = EmbeddedStore.open(dir.resolve("unbounded"), EmbeddedStoreOptions.defaults().withHistoryRevisions(0));
        store.create("/a", b("0"), 0);
        for (int i = 1; i <= 100; i++) {
            store.update("/a", b(Integer.toString(i)), 0, 0);
        }
        store.create("/b", b("0"), 0);   // a write after the loop: had a compaction been queued, it would be done
        assertThat(store.get("/a", 2).orElseThrow().valueAsString()).isEqualTo("0");
        assertThat(store.compactedRevision()).isEqualTo(1);
    }

    @Test
    void compactionForgetsOldRevisions() {
        store.create("/a", b("1"), 0);               // 2
        store.update("/a", b("2"), 0, 0);            // 3
        store.create("/b", b("1"), 0);               // 4
        store.delete("/b", 0);                       // 5
        store.update("/a", b("3"), 0, 0);            // 6
        store.compact(5);
        assertThat(store.compactedRevision()).isEqualTo(5);
        assertThatThrownBy(() -> store.get("/a", 4)).isInstanceOf(StoreException.Compacted.class);
        assertThatThrownBy(() -> store.list("/", 3, null, 0)).isInstanceOf(StoreException.Compacted.class);
        assertThat(store.get("/a", 5).orElseThrow().valueAsString()).isEqualTo("2");
        assertThat(store.get("/b", 5)).isEmpty();
        assertThat(store.get("/a").orElseThrow().valueAsString()).isEqualTo("3");
        store.compact(4); // an older compaction is a no-op, as the contract wants for several API servers
        assertThat(store.compactedRevision()).isEqualTo(5);
        assertThatThrownBy(() -> store.compact(100)).isInstanceOf(StoreException.FutureRevision.class);

        RecordingListener old = new RecordingListener();
        store.watch("/", 4, old);
        await().until(() -> old.error != null);
        assertThat(old.error).isInstanceOf(StoreException.Compacted.class);
        RecordingListener atCompacted = new RecordingListener();
        store.watch("/", 5, atCompacted);
        await().until(() -> atCompacted.events.size() == 2);
        assertThat(atCompacted.revisions()).containsExactly(5L, 6L);
        assertThat(atCompacted.error).isNull();
    }

    @Test
    void watchReplaysHistoryThenLiveEventsWithPrevious() {
        KeyValue a = store.create("/w/a", b("1"), 0);      // 2
        store.create("/other", b("x"), 0);                 // 3
        KeyValue a2 = store.update("/w/a", b("2"), 0, 0);  // 4
        RecordingListener l = new RecordingListener();
        Watch w = store.watch("/w/", 2, l);
        await().until(() -> l.events.size() == 2);
        store.delete("/w/a", 0);                           // 5
        store.create("/w/b", b("b"), 0);                   // 6
        await().until(() -> l.events.size() == 4);
        assertThat(l.revisions()).containsExactly(2L, 4L, 5L, 6L);
        WatchEvent put = l.events.get(1);
        assertThat(put.type()).isEqualTo(WatchEvent.Type.PUT);
        assertThat(put.prev()).isEqualTo(a);
        WatchEvent del = l.events.get(2);
        assertThat(del.type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(del.kv().value()).isNull();
        assertThat(del.kv().modRevision()).isEqualTo(5);
        assertThat(del.prev()).isEqualTo(a2);
        assertThat(l.events.get(0).prev()).isNull();
        w.close();
        store.create("/w/c", b("c"), 0);
        RecordingListener fromNow = new RecordingListener();
        store.watch("/w/", 0, fromNow);
        store.create("/w/d", b("d"), 0);
        await().until(() -> fromNow.events.size() == 1);
        assertThat(fromNow.keys()).containsExactly("/w/d");
        assertThat(l.events).hasSize(4);
        assertThat(l.error).isNull();
    }

    @Test
    void idleWatchersGetProgress() {
        RecordingListener l = new RecordingListener();
        store.watch("/quiet/", 0, l);
        store.create("/noisy", b("x"), 0);
        await().until(() -> l.progress.contains(store.currentRevision()));
        assertThat(l.events).isEmpty();
    }

    @Test
    void leaseExpiryDeletesKeysAtOneRevision() {
        long lease = store.grantLease(1);
        assertThat(store.leaseTimeToLive(lease)).isBetween(0L, 1L);
        store.create("/l/a", b("a"), lease);
        store.create("/l/b", b("b"), lease);
        long before = store.currentRevision();
        RecordingListener l = new RecordingListener();
        store.watch("/l/", 0, l);
        await().atMost(Duration.ofSeconds(10)).until(() -> l.events.size() == 2);
        assertThat(l.events).allMatch(e -> e.type() == WatchEvent.Type.DELETE);
        assertThat(l.revisions()).containsExactly(before + 1, before + 1);
        assertThat(l.events.get(0).prev().lease()).isEqualTo(lease);
        assertThat(store.get("/l/a")).isEmpty();
        assertThat(store.leaseTimeToLive(lease)).isEqualTo(-1);
        assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(StoreException.LeaseNotFound.class);
        assertThatThrownBy(() -> store.revokeLease(lease)).isInstanceOf(StoreException.LeaseNotFound.class);
    }

    @Test
    void revokeAndKeepAlive() {
        long lease = store.grantLease(60);
        assertThat(store.leaseTimeToLive(lease)).isBetween(58L, 60L);
        store.keepAlive(lease);
        store.create("/l/a", b("a"), lease);
        store.update("/l/a", b("a2"), 0, 0); // detaches the key from the lease, as an etcd put without lease does
        store.create("/l/b", b("b"), lease);
        store.revokeLease(lease);
        assertThat(store.get("/l/a")).isPresent();
        assertThat(store.get("/l/b")).isEmpty();
        assertThat(store.leaseTimeToLive(lease)).isEqualTo(-1);
        assertThatThrownBy(() -> store.create("/l/c", b("c"), lease)).isInstanceOf(StoreException.LeaseNotFound.class);
        assertThatThrownBy(() -> store.keepAlive(12345)).isInstanceOf(StoreException.LeaseNotFound.class);
        assertThat(store.leaseTimeToLive(12345)).isEqualTo(-1);
    }

    @Test
    void stateSurvivesRestart() {
        store.create("/a", b("1"), 0);
        store.update("/a", b("2"), 0, 0);
        long lease = store.grantLease(100);
        store.create("/leased", b("x"), lease);
        store.create("/gone", b("x"), 0);
        store.delete("/gone", 0);
        long rev = store.currentRevision();
        store.close();
        store = EmbeddedStore.open(dir.resolve("store"));
        assertThat(store.currentRevision()).isEqualTo(rev);
        assertThat(store.get("/a").orElseThrow().version()).isEqualTo(2);
        assertThat(store.get("/a", 2).orElseThrow().valueAsString()).isEqualTo("1");
        assertThat(store.get("/gone")).isEmpty();
        assertThat(store.leaseTimeToLive(lease)).isGreaterThan(90);
        store.revokeLease(lease);
        assertThat(store.get("/leased")).isEmpty();
        assertThat(store.create("/b", b("1"), 0).modRevision()).isEqualTo(rev + 2);
    }

    @Test
    void closeStopsTheStoresThreads() {
        store.close();
        long before = storeThreads();
        store = EmbeddedStore.open(dir.resolve("other"));
        RecordingListener l = new RecordingListener();
        store.watch("/", 0, l);
        store.create("/a", b("1"), 0);
        await().until(() -> l.events.size() == 1);
        assertThat(storeThreads()).isGreaterThan(before);
        store.close();
        await().until(() -> storeThreads() == before);
    }

    private static long storeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kube4j-store-")).count();
    }

    @Test
    void closedStoreIsUnavailable() {
        RecordingListener l = new RecordingListener();
        store.watch("/", 0, l);
        store.close();
        assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StoreException.Unavailable.class);
        assertThatThrownBy(() -> store.create("/a", b("x"), 0)).isInstanceOf(StoreException.Unavailable.class);
        await().until(() -> l.error != null);
        assertThat(l.error).isInstanceOf(StoreException.Unavailable.class);
    }
}
