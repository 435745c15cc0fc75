package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsyncFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFailedFsyncFailsTheWriteAndNeverShowsIt() {
        AtomicBoolean failing = new AtomicBoolean();
        Path path = dir.resolve("s");
        try (EmbeddedStore store = EmbeddedStore.open(path, EmbeddedStoreOptions.defaults(),
                p -> new FailingChannel(WriteAheadLog.SegmentOpener.FILES.open(p), failing))) {
            store.create("/a", "1".getBytes(), 0);
            RecordingListener l = new RecordingListener();
            store.watch("/", 0, l);
            store.checkHealthy();
            failing.set(true);

            assertThatThrownBy(() -> store.create("/b", "2".getBytes(), 0))
                    .isInstanceOf(StoreException.Unavailable.class).hasMessageContaining("injected fsync failure");
            // the API server's etcd health check sees it
            assertThatThrownBy(store::checkHealthy).isInstanceOf(StoreException.Unavailable.class)
                    .hasMessageContaining("the store's log failed");

            assertThat(store.currentRevision()).isEqualTo(2);
            assertThat(store.get("/b")).isEmpty();
            assertThat(store.list("/").items()).hasSize(1);
            assertThatThrownBy(() -> store.get("/b", 3)).isInstanceOf(StoreException.FutureRevision.class);
            assertThatThrownBy(() -> store.create("/c", "3".getBytes(), 0)).isInstanceOf(StoreException.Unavailable.class);
            assertThat(l.events).isEmpty();
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            // the failed write may or may not have reached the disk (Unavailable says so); the rest is intact
            assertThat(store.get("/a")).isPresent();
            assertThat(store.currentRevision()).isBetween(2L, 3L);
        }
    }
}
