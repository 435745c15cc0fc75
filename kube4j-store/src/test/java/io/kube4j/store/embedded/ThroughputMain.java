package io.kube4j.store.embedded;

import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Manual load check (not a test): N writers of 1 KB values for a few seconds against a store in a temp
 * directory, with one watcher measuring write-to-delivery latency. Args: writers (64), seconds (5), keys (10000),
 * backend (embedded, or etcd: a real single-member etcd started for the run, for comparison).
 */
public final class ThroughputMain {
    public static void main(String[] args) throws Exception {
        int writers = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path dir = Files.createTempDirectory("kube4j-throughput");
        long[] latencies = new long[4_000_000];
        AtomicLong delivered = new AtomicLong();
        ConcurrentSendTimes sent = new ConcurrentSendTimes();
        boolean etcd = args.length > 3 && args[3].equals("etcd");
        io.kube4j.store.testing.EtcdProcess etcdProcess = etcd ? io.kube4j.store.testing.EtcdProcess.startSingle() : null;
        try (Store store = etcd ? io.kube4j.store.etcd.EtcdStore.connect(etcdProcess.endpoints())
                : EmbeddedStore.open(dir.resolve("store"))) {
            store.watch("/bench/", 0, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    long t = sent.get(event.revision());
                    int i = (int) delivered.getAndIncrement();
                    if (i < latencies.length) {
                        // measured from the write's acknowledgement; delivered before it counts as 0
                        latencies[i] = t == 0 ? 0 : Math.max(0, System.nanoTime() - t);
                    }
                }

                @Override
                public void onError(StoreException error) {
                    System.err.println("watch ended: " + error);
                }
            });
            AtomicLong writes = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            CountDownLatch done = new CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                new Thread(() -> {
                    byte[] value = new byte[1024];
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        String key = "/bench/" + r.nextInt(keys);
                        long rev;
                        try {
                            rev = store.update(key, value, Store.ANY_REVISION, 0).modRevision();
                        } catch (StoreException.KeyNotFound e) {
                            try {
                                rev = store.create(key, value, 0).modRevision();
                            } catch (StoreException.KeyExists again) {
                                continue;
                            }
                        }
                        sent.put(rev, System.nanoTime());
                        writes.incrementAndGet();
                    }
                    done.countDown();
                }).start();
            }
            done.await();
            Thread.sleep(500);
            long n = writes.get();
            System.out.printf("%s, %d writers: %d writes in %d s = %.0f writes/s%s%n", etcd ? "etcd" : "embedded",
                    writers, n, seconds, n / (double) seconds, store instanceof EmbeddedStore e
                            ? String.format(", %.1f writes per fsync", e.writesPerSync()) : "");
            int m = (int) Math.min(delivered.get(), latencies.length);
            long[] l = Arrays.copyOf(latencies, m);
            Arrays.sort(l);
            if (m > 0) {
                System.out.printf("  watch delivery (after the write returned): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        l[m / 2] / 1e6, l[(int) (m * 0.99)] / 1e6, l[m - 1] / 1e6);
            }
        } finally {
            if (etcdProcess != null) {
                etcdProcess.close();
            }
        }
    }

    /** Revision -> nanoTime the write was started, in a flat array (revisions are dense). */
    static final class ConcurrentSendTimes {
        private final java.util.concurrent.atomic.AtomicLongArray times = new java.util.concurrent.atomic.AtomicLongArray(8_000_000);

        void put(long revision, long t) {
            if (revision < times.length()) {
                times.set((int) revision, t);
            }
        }

        long get(long revision) {
            return revision < times.length() ? times.get((int) revision) : 0;
        }
    }
}
