package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.registry.ObjectCodec;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import io.kube4j.store.embedded.EmbeddedStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consistent list waits for the watch cache to reach the store's current revision. When the last writes were to
 * other resources no event brings the cache there: it must ask the store for a progress notification rather than
 * wait for the periodic one (here an hour apart, so only the request can answer).
 */
class CacheFreshnessTest {

    @TempDir
    Path dir;
    Store store;
    WatchCache cache;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, EmbeddedStoreOptions.defaults().withProgressInterval(Duration.ofHours(1)));
        put("/registry/things/a");
        cache = new WatchCache(store, "/registry/things/", ObjectCodec::decode, 10);
        cache.start();
    }

    @AfterEach
    void close() {
        cache.close();
        store.close();
    }

    private long put(String key) {
        byte[] value = ("{\"metadata\":{\"name\":\"" + key.substring(key.lastIndexOf('/') + 1) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return store.create(key, value, Store.NO_LEASE).modRevision();
    }

    @Test
    void writesElsewhereAreCaughtUpWithByAskingTheStore() throws InterruptedException {
        long mine = put("/registry/things/b");
        for (int i = 0; i < 20; i++) {
            put("/registry/others/o-" + i);
        }
        long current = store.currentRevision();
        assertThat(current).isGreaterThan(mine);
        assertThat(cache.awaitFresh(current, 30_000)).isTrue();
        assertThat(cache.revision()).isGreaterThanOrEqualTo(current);
        assertThat(cache.storedSnapshot(null).items()).hasSize(2);
        // and again, with nothing written in between and with only writes elsewhere
        put("/registry/others/last");
        assertThat(cache.awaitFresh(store.currentRevision(), 30_000)).isTrue();
    }

    @Test
    void aCacheThatHasSeenTheRevisionAnswersAtOnceAndAClosedOneNever() throws InterruptedException {
        long mine = put("/registry/things/c");
        assertThat(cache.awaitRevision(mine, 30_000)).isTrue();
        assertThat(cache.awaitFresh(mine, 0)).isTrue();
        cache.close();
        put("/registry/others/after-close");
        assertThat(cache.awaitFresh(store.currentRevision(), 50)).isFalse();
    }
}
