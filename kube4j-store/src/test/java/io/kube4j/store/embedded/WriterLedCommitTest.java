package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log is written by the committing callers themselves (writer-led group commit): a caller's interrupt must
 * neither fail its write nor break the log for everyone (an interrupt closes a FileChannel mid-I/O), and writes
 * queued behind a leader must all be led to durability.
 */
// a lost wake-up or an endless redo would hang the build: fail instead
@Timeout(120)
class WriterLedCommitTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptedWriterStillWritesAndTheLogKeepsWorking() {
        Path path = dir.resolve("s");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            store.create("/a", "1".getBytes(), Store.NO_LEASE);
            Thread.currentThread().interrupt();
            KeyValue b;
            try {
                b = store.create("/b", "2".getBytes(), Store.NO_LEASE);
            } finally {
                // the flag is handed back to the caller, not swallowed
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(b.modRevision()).isEqualTo(3);
            store.create("/c", "3".getBytes(), Store.NO_LEASE);
            assertThat(store.currentRevision()).isEqualTo(4);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/b")).map(kv -> new String(kv.value())).contains("2");
            assertThat(store.get("/c")).isPresent();
            assertThat(store.currentRevision()).isEqualTo(4);
        }
    }

    @Test
    void writersInterruptedWhileWritingLoseNothingAcknowledged() throws Exception {
        Path path = dir.resolve("s");
        int writers = 8;
        int perWriter = 200;
        ConcurrentHashMap<String, Long> acked = new ConcurrentHashMap<>();
        try (EmbeddedStore store = EmbeddedStore.open(path, EmbeddedStoreOptions.defaults()
                .withSegmentBytes(16 * 1024).withSnapshotEveryWrites(300))) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch registered = new CountDownLatch(writers);
            List<Thread> threads = new ArrayList<>();
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    registered.countDown();
                    for (int i = 0; i < perWriter; i++) {
                        String key = "/w/" + writer + "/" + i;
                        acked.put(key, store.create(key, new byte[300], Store.NO_LEASE).modRevision());
                        Thread.interrupted();
                    }
                    return null;
                }));
            }
            assertThat(registered.await(30, TimeUnit.SECONDS)).isTrue();
            // interrupt the writers (leaders among them) while they write, as a pool's shutdownNow would
            while (tasks.stream().anyMatch(t -> !t.isDone())) {
                synchronized (threads) {
                    threads.forEach(Thread::interrupt);
                }
                Thread.sleep(1);
            }
            for (Future<?> t : tasks) {
                t.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(acked).hasSize(writers * perWriter);
            assertThat(store.writesPerSync()).isGreaterThanOrEqualTo(1.0);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            acked.forEach((key, revision) -> assertThat(store.get(key)).as(key).map(KeyValue::modRevision)
                    .contains(revision));
            assertThat(store.currentRevision()).isEqualTo(1 + writers * perWriter);
        }
    }
}
