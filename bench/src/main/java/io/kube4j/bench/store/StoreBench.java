package io.kube4j.bench.store;

import io.kube4j.bench.EtcdLauncher;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import io.kube4j.store.embedded.EmbeddedStore;
import io.kube4j.store.embedded.EmbeddedStoreOptions;
import io.kube4j.store.etcd.EtcdStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the embedded store and a real single-member etcd through the same Store SPI, in one run, and prints
 * one table: 1 KB creates of distinct keys with 1, 50 (bench/apiserver's client count) and 64 writers, each
 * create's durable-write latency (p50, p99), and the latency from the start of a write to its watch event at a
 * moderate rate. Each phase is bounded by a time and an operation count. Backend {@code embedded-append} is the
 * embedded store with log segments not preallocated, for a comparison in one run.
 *
 * <p>Usage: StoreBench [--seconds N] [--max-ops N] [--watch-rate N] [--watch-seconds N]
 * [--backends embedded,etcd,embedded-append]
 */
public final class StoreBench {
    private static final int VALUE_BYTES = 1024;

    private final int seconds;
    private final long maxOps;
    private final int watchRate;
    private final int watchSeconds;
    private final byte[] value = new byte[VALUE_BYTES];

    StoreBench(int seconds, long maxOps, int watchRate, int watchSeconds) {
        this.seconds = seconds;
        this.maxOps = maxOps;
        this.watchRate = watchRate;
        this.watchSeconds = watchSeconds;
        new Random(1).nextBytes(value);
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        long maxOps = 200_000;
        int watchRate = 200;
        int watchSeconds = 5;
        List<String> backends = List.of("embedded", "etcd");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--seconds" -> { seconds = Integer.parseInt(v); i++; }
                case "--max-ops" -> { maxOps = Long.parseLong(v); i++; }
                case "--watch-rate" -> { watchRate = Integer.parseInt(v); i++; }
                case "--watch-seconds" -> { watchSeconds = Integer.parseInt(v); i++; }
                case "--backends" -> { backends = List.of(v.split(",")); i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: bench/store [--seconds N] [--max-ops N] [--watch-rate PER_SEC]"
                            + " [--watch-seconds N] [--backends embedded,etcd,embedded-append]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument '" + a + "'; try --help");
                    System.exit(2);
                }
            }
        }
        StoreBench bench = new StoreBench(seconds, maxOps, watchRate, watchSeconds);
        printHeader(seconds, maxOps, watchRate, watchSeconds);
        List<BenchResult> results = new ArrayList<>();
        for (String backend : backends) {
            results.add(switch (backend.trim()) {
                case "embedded" -> bench.runEmbedded("embedded", true);
                case "embedded-append" -> bench.runEmbedded("embedded-append", false);
                case "etcd" -> bench.runEtcd();
                default -> throw new IllegalArgumentException("unknown backend '" + backend
                        + "': use embedded, embedded-append or etcd");
            });
        }
        printTable(results);
        System.exit(0);
    }

    private BenchResult runEmbedded(String name, boolean preallocate) throws Exception {
        Path dir = Files.createTempDirectory("kube4j-bench-embedded-");
        System.out.println("[" + name + "] kube4j embedded store (MVCC index + WAL, group commit"
                + (preallocate ? "" : ", segments not preallocated") + ") in " + dir);
        // the defaults unless asked otherwise, so the bench also runs against a store without the option
        try (Store store = preallocate ? EmbeddedStore.open(dir.resolve("store"))
                : EmbeddedStore.open(dir.resolve("store"), EmbeddedStoreOptions.defaults().withPreallocatedSegments(false))) {
            return measure(name, store, "");
        } catch (UnsupportedOperationException | StoreException e) {
            System.out.println("[embedded] not measured: " + e.getMessage());
            return BenchResult.unavailable(name, "not available: " + e.getMessage());
        } finally {
            EtcdLauncher.deleteTreeQuietly(dir);
        }
    }

    private BenchResult runEtcd() throws Exception {
        String name = "etcd";
        try (EtcdLauncher etcd = EtcdLauncher.start()) {
            System.out.println("[etcd] " + EtcdLauncher.version() + ", single member, default durability, "
                    + etcd.endpoints().get(0) + ", data in " + etcd.dataDir());
            try (Store store = EtcdStore.connect(etcd.endpoints())) {
                return measure(name, store, "");
            }
        } catch (IllegalStateException | StoreException e) {
            System.out.println("[etcd] not measured: " + e.getMessage());
            return BenchResult.unavailable(name, "not available: " + e.getMessage());
        }
    }

    private BenchResult measure(String name, Store store, String note) throws Exception {
        // Warm the JIT and the connection before anything is timed.
        runCreates(store, "/bench/warmup/", 8, 2, 5_000, new LatencyRecorder());

        LatencyRecorder lat1 = new LatencyRecorder();
        double rate1 = runCreates(store, "/bench/w1/", 1, seconds, maxOps, lat1);
        System.out.printf(Locale.ROOT, "[%s] 1 writer:   %,.0f creates/s (%d ops), p50 %.2f ms, p99 %.2f ms%n",
                name, rate1, lat1.count(), lat1.percentileMillis(50), lat1.percentileMillis(99));

        LatencyRecorder lat50 = new LatencyRecorder();
        double rate50 = runCreates(store, "/bench/w50/", 50, seconds, maxOps, lat50);
        System.out.printf(Locale.ROOT, "[%s] 50 writers: %,.0f creates/s (%d ops), p50 %.2f ms, p99 %.2f ms%n",
                name, rate50, lat50.count(), lat50.percentileMillis(50), lat50.percentileMillis(99));

        LatencyRecorder lat64 = new LatencyRecorder();
        double rate64 = runCreates(store, "/bench/w64/", 64, seconds, maxOps, lat64);
        System.out.printf(Locale.ROOT, "[%s] 64 writers: %,.0f creates/s (%d ops), p99 %.2f ms%n",
                name, rate64, lat64.count(), lat64.percentileMillis(99));

        LatencyRecorder watch = watchLatency(store, "/bench/watch/");
        System.out.printf(Locale.ROOT, "[%s] put->watch at %d/s: p50 %.2f ms, p99 %.2f ms (%d events)%n",
                name, watchRate, watch.percentileMillis(50), watch.percentileMillis(99), watch.count());
        return new BenchResult(name, rate1, rate50, rate64, lat1.percentileMillis(50), lat1.percentileMillis(99),
                lat50.percentileMillis(50), lat50.percentileMillis(99), lat64.percentileMillis(99),
                watch.percentileMillis(50), watch.percentileMillis(99), watch.count(), note);
    }

    /** Creates distinct 1 KB keys from {@code writers} threads until the time or the op budget runs out. */
    private double runCreates(Store store, String prefix, int writers, int forSeconds, long opBudget,
                              LatencyRecorder latency) throws Exception {
        AtomicLong issued = new AtomicLong();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            futures.add(pool.submit(() -> {
                go.await();
                long deadline = window[0] + TimeUnit.SECONDS.toNanos(forSeconds);
                long i = 0;
                while (System.nanoTime() < deadline && issued.incrementAndGet() <= opBudget) {
                    long t0 = System.nanoTime();
                    store.create(prefix + id + "/" + i++, value, Store.NO_LEASE);
                    latency.record(System.nanoTime() - t0);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        window[0] = System.nanoTime();
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        window[1] = System.nanoTime();
        pool.shutdown();
        return done.get() / ((window[1] - window[0]) / 1e9);
    }

    /** Writes at a steady rate from one thread; each latency is write start to event arrival. */
    private LatencyRecorder watchLatency(Store store, String prefix) throws Exception {
        LatencyRecorder latency = new LatencyRecorder();
        Map<String, Long> started = new ConcurrentHashMap<>();
        long total = (long) watchRate * watchSeconds;
        CountDownLatch received = new CountDownLatch((int) total);
        Watch watch = store.watch(prefix, 0, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                Long t0 = started.remove(event.kv().key());
                if (t0 != null) {
                    latency.record(System.nanoTime() - t0);
                    received.countDown();
                }
            }

            @Override
            public void onError(StoreException error) {
                System.out.println("watch failed: " + error.getMessage());
            }
        });
        try {
            long interval = TimeUnit.SECONDS.toNanos(1) / watchRate;
            long next = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long now;
                while ((now = System.nanoTime()) < next) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 1_000_000));
                }
                String key = prefix + i;
                started.put(key, System.nanoTime());
                store.create(key, value, Store.NO_LEASE);
                next += interval;
            }
            received.await(30, TimeUnit.SECONDS);
        } finally {
            watch.close();
        }
        return latency;
    }

    private static void printHeader(int seconds, long maxOps, int watchRate, int watchSeconds) {
        Runtime rt = Runtime.getRuntime();
        System.out.println("kube4j store benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("machine: " + rt.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + "), max heap " + rt.maxMemory() / (1024 * 1024) + " MB"
                + ", load average at start " + loadAverage());
        System.out.println("workload: creates of distinct keys with 1 KB values, " + seconds + " s or " + maxOps
                + " ops per phase; put->watch latency at " + watchRate + " writes/s for " + watchSeconds + " s");
        System.out.println();
    }

    /** The 1-minute load average: other work on the machine skews every figure, so the table says how much. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** One column per backend run, in order, then embedded / etcd (and embedded / embedded-append when run). */
    private static void printTable(List<BenchResult> results) {
        BenchResult embedded = find(results, "embedded");
        BenchResult etcd = find(results, "etcd");
        BenchResult append = find(results, "embedded-append");
        StringBuilder head = new StringBuilder("| measure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (BenchResult r : results) {
            head.append(' ').append(switch (r.backend()) {
                case "embedded" -> "embedded (kube4j)";
                case "etcd" -> "etcd 3.4 (real, 1 member)";
                default -> r.backend();
            }).append(" |");
            rule.append("---:|");
        }
        head.append(" embedded / etcd |");
        rule.append("---:|");
        if (append != null) {
            head.append(" embedded / embedded-append |");
            rule.append("---:|");
        }
        System.out.println();
        System.out.println(head);
        System.out.println(rule);
        row("creates/s, 1 writer", results, embedded, etcd, append, BenchResult::createsPerSecond1, "%,.0f");
        row("creates/s, 50 writers", results, embedded, etcd, append, BenchResult::createsPerSecond50, "%,.0f");
        row("creates/s, 64 writers", results, embedded, etcd, append, BenchResult::createsPerSecond64, "%,.0f");
        row("create p50 ms, 1 writer", results, embedded, etcd, append, BenchResult::createP50Millis1, "%.2f");
        row("create p99 ms, 1 writer", results, embedded, etcd, append, BenchResult::createP99Millis1, "%.2f");
        row("create p50 ms, 50 writers", results, embedded, etcd, append, BenchResult::createP50Millis50, "%.2f");
        row("create p99 ms, 50 writers", results, embedded, etcd, append, BenchResult::createP99Millis50, "%.2f");
        row("create p99 ms, 64 writers", results, embedded, etcd, append, BenchResult::createP99Millis64, "%.2f");
        row("put->watch p50 ms", results, embedded, etcd, append, BenchResult::watchP50Millis, "%.2f");
        row("put->watch p99 ms", results, embedded, etcd, append, BenchResult::watchP99Millis, "%.2f");
        for (BenchResult r : results) {
            if (!r.note().isEmpty()) {
                System.out.println("note: " + r.backend() + " " + r.note());
            }
        }
        System.out.println("(for creates/s a ratio above 1 means embedded is faster; for latencies, below 1 does)");
    }

    private static BenchResult find(List<BenchResult> results, String backend) {
        return results.stream().filter(r -> r.backend().equals(backend)).findFirst().orElse(null);
    }

    private static void row(String label, List<BenchResult> results, BenchResult embedded, BenchResult etcd,
                            BenchResult append, java.util.function.ToDoubleFunction<BenchResult> figure,
                            String format) {
        StringBuilder line = new StringBuilder("| ").append(label).append(" |");
        for (BenchResult r : results) {
            line.append(' ').append(cell(figure.applyAsDouble(r), format)).append(" |");
        }
        line.append(' ').append(ratio(embedded, etcd, figure)).append(" |");
        if (append != null) {
            line.append(' ').append(ratio(embedded, append, figure)).append(" |");
        }
        System.out.println(line);
    }

    private static String ratio(BenchResult a, BenchResult b, java.util.function.ToDoubleFunction<BenchResult> figure) {
        double x = a == null ? Double.NaN : figure.applyAsDouble(a);
        double y = b == null ? Double.NaN : figure.applyAsDouble(b);
        return Double.isNaN(x) || Double.isNaN(y) || y == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", x / y);
    }

    private static String cell(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
