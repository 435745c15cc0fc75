package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.http.SharedBytes;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.ObjectCodec;
import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchCacheTest {

    @TempDir
    Path dir;
    Store store;
    WatchCache cache;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir);
        put("/registry/things/a", "{\"metadata\":{\"name\":\"a\"}}");
        cache = new WatchCache(store, "/registry/things/", ObjectCodec::decode, 3);
        cache.start();
    }

    @AfterEach
    void close() {
        cache.close();
        store.close();
    }

    private long put(String key, String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        return store.get(key).isPresent() ? store.update(key, value, Store.ANY_REVISION, Store.NO_LEASE).modRevision()
                : store.create(key, value, Store.NO_LEASE).modRevision();
    }

    private static final class Recorder implements CacheListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean terminated;

        @Override
        public boolean onEvent(CachedEvent event) {
            events.add(event.type() + " " + event.object().path("metadata").path("name").asString() + " "
                    + event.object().path("metadata").path("resourceVersion").asString());
            return true;
        }

        @Override
        public void onTerminated(String reason) {
            terminated = true;
        }
    }

    @Test
    void initialStateThenLiveEvents() {
        Recorder recorder = new Recorder();
        long at = cache.register(recorder, true, 0);
        assertThat(recorder.events).containsExactly("ADDED a " + at);
        long rev = put("/registry/things/b", "{\"metadata\":{\"name\":\"b\"}}");
        long del = store.delete("/registry/things/a", Store.ANY_REVISION).revision();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 3);
        assertThat(recorder.events).containsExactly("ADDED a " + at, "ADDED b " + rev, "DELETED a " + del);
        assertThat(cache.snapshot(null).items()).hasSize(1);
    }

    @Test
    void resumesFromTheRingAndRefusesOlderRevisions() throws Exception {
        long first = put("/registry/things/a", "{\"metadata\":{\"name\":\"a\"},\"v\":1}");
        long second = put("/registry/things/a", "{\"metadata\":{\"name\":\"a\"},\"v\":2}");
        assertThat(cache.awaitRevision(second, 5000)).isTrue();
        Recorder recorder = new Recorder();
        assertThat(cache.register(recorder, false, first)).isEqualTo(second);
        assertThat(recorder.events).containsExactly("MODIFIED a " + second);
        for (int i = 3; i < 8; i++) {
            put("/registry/things/a", "{\"metadata\":{\"name\":\"a\"},\"v\":" + i + "}");
        }
        assertThat(cache.awaitRevision(store.currentRevision(), 5000)).isTrue();
        // the ring holds 3 events: a watch from "first" can no longer be served from memory
        assertThat(cache.register(new Recorder(), false, first)).isEqualTo(-1);
    }

    @Test
    void unregisteredListenersHearNothing() {
        Recorder recorder = new Recorder();
        cache.register(recorder, false, cache.revision());
        cache.unregister(recorder);
        put("/registry/things/c", "{\"metadata\":{\"name\":\"c\"}}");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.snapshot(null).items().size() == 2);
        assertThat(recorder.events).isEmpty();
        cache.close();
        assertThat(recorder.terminated).isFalse();
    }

    @Test
    void aBlockedListenerHoldsUpNeitherTheCacheNorOtherListeners() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean inside = new java.util.concurrent.atomic.AtomicBoolean();
        CacheListener stuck = new CacheListener() {
            @Override
            public boolean onEvent(CachedEvent event) {
                inside.set(true);
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.set(false);
                return true;
            }

            @Override
            public void onTerminated(String reason) {
            }
        };
        try {
            cache.register(stuck, false, cache.revision());
            put("/registry/things/b", "{\"metadata\":{\"name\":\"b\"}}");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // the fan-out is stuck in the listener: the cache still applies writes, serves snapshots and registers
            long rev = put("/registry/things/c", "{\"metadata\":{\"name\":\"c\"}}");
            assertThat(cache.awaitRevision(rev, 5000)).isTrue();
            assertThat(cache.snapshot(null).items()).hasSize(3);
            Recorder late = new Recorder();
            assertThat(cache.register(late, true, 0)).isEqualTo(rev);
            assertThat(late.events).hasSize(3);
            // all of the above happened while the listener was still blocked, not after it gave up waiting
            assertThat(inside).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aListenerRegisteredWhileEventsWaitForFanOutGetsEachEventOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        CacheListener gate = new CacheListener() {
            @Override
            public boolean onEvent(CachedEvent event) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            @Override
            public void onTerminated(String reason) {
            }
        };
        cache.register(gate, false, cache.revision());
        long start = cache.revision();
        long b = put("/registry/things/b", "{\"metadata\":{\"name\":\"b\"}}");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        // queued behind the blocked fan-out: c is in the ring but not yet handed to anyone
        long c = put("/registry/things/c", "{\"metadata\":{\"name\":\"c\"}}");
        assertThat(cache.awaitRevision(c, 5000)).isTrue();
        Recorder recorder = new Recorder();
        cache.register(recorder, false, start);
        assertThat(recorder.events).containsExactly("ADDED b " + b, "ADDED c " + c);
        release.countDown();
        long d = put("/registry/things/d", "{\"metadata\":{\"name\":\"d\"}}");
        // a duplicate of c, were the fan-out to send one, would come before d
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() >= 3);
        assertThat(recorder.events).containsExactly("ADDED b " + b, "ADDED c " + c, "ADDED d " + d);
    }

    @Test
    void progressComesAfterTheEventsBeforeIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CacheListener listener = new CacheListener() {
            @Override
            public boolean onEvent(CachedEvent event) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add("event " + event.revision());
                return true;
            }

            @Override
            public void onTerminated(String reason) {
            }

            @Override
            public void onProgress(long revision) {
                seen.add("progress " + revision);
            }
        };
        cache.register(listener, false, cache.revision());
        long b = put("/registry/things/b", "{\"metadata\":{\"name\":\"b\"}}");
        assertThat(cache.awaitRevision(b, 5000)).isTrue();
        cache.progress();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("event " + b, "progress " + b);
    }

    /** Records the revisions of the events and progress notifications it is given. */
    private static class Revisions implements CacheListener {
        final List<Long> revisions = new CopyOnWriteArrayList<>();
        final List<Long> progress = new CopyOnWriteArrayList<>();

        @Override
        public boolean onEvent(CachedEvent event) {
            revisions.add(event.revision());
            return true;
        }

        @Override
        public void onProgress(long revision) {
            progress.add(revision);
        }

        @Override
        public void onTerminated(String reason) {
        }
    }

    @Test
    void manyListenersGetEveryEventOnceAndInOrderWhenThePassesArePaced() throws Exception {
        // enough listeners that every pass is followed by a pause (FanoutPacing), so most events wait for a later pass
        List<Revisions> listeners = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Revisions r = new Revisions();
            cache.register(r, false, cache.revision());
            listeners.add(r);
        }
        List<Long> written = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "p" + (i % 7);
            written.add(put("/registry/things/" + name, "{\"metadata\":{\"name\":\"" + name + "\"},\"v\":" + i + "}"));
        }
        assertThat(cache.awaitRevision(written.get(written.size() - 1), 5000)).isTrue();
        cache.progress();
        await().atMost(Duration.ofSeconds(20)).until(() -> listeners.stream()
                .allMatch(r -> r.revisions.size() >= written.size() && !r.progress.isEmpty()));
        for (Revisions r : listeners) {
            assertThat(r.revisions).containsExactlyElementsOf(written);
            // the progress notification was queued behind the last event, and pacing keeps that order
            assertThat(r.progress.get(0)).isEqualTo(written.get(written.size() - 1));
        }
    }

    @Test
    void passesArePacedByTheListenersWrittenToNotByThoseWatching() {
        java.util.concurrent.atomic.AtomicBoolean send = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Revisions> listeners = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Revisions r = new Revisions() {
                @Override
                public boolean sentLast() {
                    return send.get();
                }
            };
            cache.register(r, false, cache.revision());
            listeners.add(r);
        }
        // 300 listeners written to: the next pass waits for its turn
        put("/registry/things/b", "{\"metadata\":{\"name\":\"b\"}}");
        await().atMost(Duration.ofSeconds(20)).until(cache::fanoutPaced);
        // the same 300 watching, but the event is for none of them (as for watches of other namespaces or nodes)
        send.set(false);
        long c = put("/registry/things/c", "{\"metadata\":{\"name\":\"c\"}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> listeners.stream().allMatch(r -> r.revisions.contains(c)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !cache.fanoutPaced());
    }

    @Test
    void everyWatcherSharesOneEncodingPerEvent() {
        List<SharedBytes> lines = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            cache.register(new CacheListener() {
                @Override
                public boolean onEvent(CachedEvent event) {
                    lines.add(event.line(event.type()));
                    return true;
                }

                @Override
                public void onTerminated(String reason) {
                }
            }, false, cache.revision());
        }
        long rev = put("/registry/things/b", "{\"metadata\":{\"name\":\"b\"}}");
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() == 3);
        // one line object, and so one encoding and one transport copy, for every watcher
        assertThat(lines.get(1)).isSameAs(lines.get(0));
        assertThat(lines.get(2)).isSameAs(lines.get(0));
        String added = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"b\",\"resourceVersion\":\"" + rev
                + "\"}}}\n";
        assertThat(new String(lines.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo(added);
    }

    @Test
    void aLineAsAnotherTypeReusesTheEncodedObject() {
        ObjectNode object = (ObjectNode) Json.parse(
                "{\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"7\"}}".getBytes(StandardCharsets.UTF_8));
        CachedObject entry = CachedObject.read(new KeyValue("/registry/things/c",
                "{\"metadata\":{\"name\":\"c\"}}".getBytes(StandardCharsets.UTF_8), 7, 7, 1, 0),
                CacheForm.decoding(ObjectCodec::decode));
        CachedEvent event = new CachedEvent(EventType.MODIFIED, "/registry/things/c", entry, null, 7);
        SharedBytes modified = event.line(EventType.MODIFIED);
        assertThat(event.line(EventType.MODIFIED)).isSameAs(modified);
        assertThat(new String(event.line(EventType.ADDED).bytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"7\"}}}\n");
        assertThat(CachedEvent.line(EventType.MODIFIED, Json.bytes(object))).isEqualTo(modified.bytes());
    }
    /** The labels the cache selects entry {@code name} by, once it holds revision {@code rev} of it. */
    private java.util.Map<String, String> labelsAt(String name, long rev) {
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.revision() >= rev);
        return cache.storedSnapshot(null).items().stream()
                .filter(o -> o.attributes().name().equals(name)).findFirst().orElseThrow().attributes().labels();
    }

    @Test
    void aWriteItsWriterAnnouncedTakesTheWritersAttributesAndACopyIsParsed() {
        byte[] value = "{\"metadata\":{\"name\":\"c\",\"labels\":{\"from\":\"bytes\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        // a tree that differs from the bytes shows which one the cache read (a real writer's tree is the same)
        ObjectNode announced = (ObjectNode) Json.parse(
                "{\"metadata\":{\"name\":\"c\",\"labels\":{\"from\":\"tree\"}}}".getBytes(StandardCharsets.UTF_8));
        cache.expectWrite(value, announced);
        long created = store.create("/registry/things/c", value, Store.NO_LEASE).modRevision();
        assertThat(labelsAt("c", created)).containsExactly(java.util.Map.entry("from", "tree"));

        // the same content in another array (as a store that copies the bytes gives back) is parsed
        cache.expectWrite(value, announced);
        long updated = store.update("/registry/things/c", value.clone(), Store.ANY_REVISION, Store.NO_LEASE)
                .modRevision();
        assertThat(labelsAt("c", updated)).containsExactly(java.util.Map.entry("from", "bytes"));

        // a write the writer gave up on leaves nothing to be taken for its array later
        cache.forgetWrite(value);
        long again = store.update("/registry/things/c", value, Store.ANY_REVISION, Store.NO_LEASE).modRevision();
        assertThat(labelsAt("c", again)).containsExactly(java.util.Map.entry("from", "bytes"));
    }
}
