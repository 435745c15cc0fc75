package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.registry.ObjectCodec;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
}
