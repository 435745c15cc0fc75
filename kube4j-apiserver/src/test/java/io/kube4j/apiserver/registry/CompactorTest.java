package io.kube4j.apiserver.registry;

import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CompactorTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachRunCompactsToTheRevisionThePreviousRunSaw() {
        try (Store store = EmbeddedStore.open(dir.resolve("store"))) {
            Compactor compactor = new Compactor(store);
            store.create("/registry/configmaps/default/a", bytes("1"), Store.NO_LEASE);
            compactor.run();
            long seen = store.currentRevision();
            long before = store.compactedRevision();
            assertThat(before).isLessThan(seen);
            store.create("/registry/configmaps/default/b", bytes("2"), Store.NO_LEASE);
            compactor.run();
            assertThat(store.compactedRevision()).isEqualTo(seen);
            // writes after the previous run stay readable until the next one
            assertThat(store.currentRevision()).isGreaterThan(store.compactedRevision());
        }
    }

    @Test
    void scheduledCompactionKeepsUpWithWrites() {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try (Store store = EmbeddedStore.open(dir.resolve("store"))) {
            Compactor.schedule(store, timers, Duration.ofMillis(50));
            for (int i = 0; i < 5; i++) {
                store.create("/registry/configmaps/default/c" + i, bytes("x"), Store.NO_LEASE);
            }
            long target = store.currentRevision();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.compactedRevision() >= target);
        } finally {
            timers.shutdownNow();
        }
    }
}
