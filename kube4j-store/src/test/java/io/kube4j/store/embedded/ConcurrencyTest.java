package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void everyWatcherSeesEveryEventOnceInOrder() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("s"), EmbeddedStoreOptions.defaults()
                .withSnapshotEveryWrites(500))) {
            int writers = 16;
            int perWriter = 150;
            List<RecordingListener> watchers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RecordingListener l = new RecordingListener();
                store.watch("/c/", 0, l);
                watchers.add(l);
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers + 4);
            CountDownLatch start = new CountDownLatch(1);
            Map<Long, String> written = new ConcurrentHashMap<>();
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        String key = "/c/" + writer + "/" + (i % 10);
                        KeyValue kv = i < 10 ? store.create(key, new byte[64], 0)
                                : store.update(key, new byte[64], Store.ANY_REVISION, 0);
                        assertThat(written.put(kv.modRevision(), key)).isNull();
                    }
                    return null;
                }));
            }
            // watchers that join while the writes run, from an old revision: they must catch up without gaps
            List<RecordingListener> late = new ArrayList<>();
            tasks.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(20);
                    RecordingListener l = new RecordingListener();
                    store.watch("/c/", 2, l);
                    synchronized (late) {
                        late.add(l);
                    }
                }
                return null;
            }));
            start.countDown();
            for (Future<?> f : tasks) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            int total = writers * perWriter;
            assertThat(written).hasSize(total);
            List<Long> expected = new ArrayList<>(new java.util.TreeSet<>(written.keySet()));
            assertThat(expected.get(0)).isEqualTo(2);
            assertThat(expected.get(total - 1)).isEqualTo(total + 1);
            List<RecordingListener> all = new ArrayList<>(watchers);
            all.addAll(late);
            for (RecordingListener l : all) {
                await().atMost(Duration.ofSeconds(60)).until(() -> l.events.size() >= total || l.error != null);
                assertThat(l.error).isNull();
                assertThat(l.revisions()).containsExactlyElementsOf(expected);
                for (WatchEvent e : l.events) {
                    assertThat(e.kv().key()).isEqualTo(written.get(e.revision()));
                }
            }
        }
    }

    @Test
    void casUnderContentionLosesNoUpdate() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("cas"))) {
            store.create("/counter", "0".getBytes(), 0);
            int threads = 8;
            int increments = 50;
            AtomicLong conflicts = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < increments; ) {
                        KeyValue kv = store.get("/counter").orElseThrow();
                        long n = Long.parseLong(kv.valueAsString());
                        try {
                            store.update("/counter", String.valueOf(n + 1).getBytes(), kv.modRevision(), 0);
                            i++;
                        } catch (StoreException.Conflict e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            KeyValue kv = store.get("/counter").orElseThrow();
            assertThat(kv.valueAsString()).isEqualTo(String.valueOf(threads * increments));
            assertThat(kv.version()).isEqualTo(threads * increments + 1);
        }
    }

    @Test
    void slowWatcherIsCutOffAndCanResume() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("slow"), EmbeddedStoreOptions.defaults()
                .withWatcherQueueLimit(20))) {
            CountDownLatch release = new CountDownLatch(1);
            List<WatchEvent> slowSeen = new ArrayList<>();
            AtomicLong slowError = new AtomicLong(-1);
            CountDownLatch cutOff = new CountDownLatch(1);
            store.watch("/s/", 0, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    slowSeen.add(event);
                    try {
                        release.await(); // stuck on its first event until the test lets go
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onError(StoreException error) {
                    assertThat(error).isInstanceOf(StoreException.WatchTooSlow.class);
                    slowError.set(((StoreException.WatchTooSlow) error).lastRevision());
                    cutOff.countDown();
                }
            });
            RecordingListener healthy = new RecordingListener();
            store.watch("/s/", 0, healthy);
            long first = store.currentRevision() + 1;
            int writes = 200;
            for (int i = 0; i < writes; i++) {
                store.create("/s/" + i, new byte[8], 0); // writers never wait for the stuck watcher
                if (i % 10 == 9) {
                    // The queue limit (20) is the same for every watcher: let the healthy one keep up, so that
                    // only the stuck one can overflow however loaded the machine is.
                    int written = i + 1;
                    await().until(() -> healthy.events.size() == written || healthy.error != null);
                }
            }
            long last = store.currentRevision();
            await().until(() -> healthy.events.size() == writes);
            assertThat(healthy.error).isNull();
            release.countDown();
            assertThat(cutOff.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(slowSeen).hasSize(1);
            assertThat(slowError.get()).isEqualTo(first);

            RecordingListener resumed = new RecordingListener();
            store.watch("/s/", slowError.get() + 1, resumed);
            await().until(() -> resumed.events.size() == writes - 1);
            assertThat(resumed.revisions().get(0)).isEqualTo(first + 1);
            assertThat(resumed.revisions().get(writes - 2)).isEqualTo(last);
            assertThat(resumed.error).isNull();
        }
    }
}
