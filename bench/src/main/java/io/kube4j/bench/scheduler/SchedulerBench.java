package io.kube4j.bench.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.bench.EtcdLauncher;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;
import io.kube4j.store.embedded.EmbeddedStore;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Upstream scheduler_perf's SchedulingBasic against kube4j: the API server (embedded store in a temp dir) and
 * the scheduler in this JVM, talking over loopback HTTP. Creates N nodes, then init pods (bound before
 * measuring, as upstream's initPods; they also warm the JIT), then the measured pods from a pool of
 * concurrent creators ({@link PodPoster}). A watch of bound pods ({@link BoundPodWatch}) records when each pod
 * is first seen with spec.nodeName.
 *
 * <p>Usage: SchedulerBench [--nodes 500,5000] [--pods 10000] [--init-pods 1000] [--creators 16] [--stall-seconds 60]
 */
public final class SchedulerBench {
    private static final String NS = "default";
    private static final String PREFIX = "pod-";

    private final int pods;
    private final int initPods;
    private final int creators;
    private final int stallSeconds;

    SchedulerBench(int pods, int initPods, int creators, int stallSeconds) {
        this.pods = pods;
        this.initPods = initPods;
        this.creators = creators;
        this.stallSeconds = stallSeconds;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> nodes = List.of(500, 5000);
        int pods = 10_000;
        int initPods = 1_000;
        int creators = 16;
        int stall = 60;
        int warmupPods = 20_000;
        int warmupNodes = -1;
        Path serverOptions = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--nodes" -> { nodes = parseList(v); i++; }
                case "--pods" -> { pods = Integer.parseInt(v); i++; }
                case "--init-pods" -> { initPods = Integer.parseInt(v); i++; }
                case "--creators" -> { creators = Integer.parseInt(v); i++; }
                case "--stall-seconds" -> { stall = Integer.parseInt(v); i++; }
                case "--warmup-pods" -> { warmupPods = Integer.parseInt(v); i++; }
                case "--warmup-nodes" -> { warmupNodes = Integer.parseInt(v); i++; }
                case "--server-options" -> { serverOptions = Path.of(v); i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: bench/scheduler [--nodes 500,5000] [--pods 10000] [--init-pods 1000]"
                            + " [--creators 16] [--stall-seconds 60] [--warmup-pods 20000] [--warmup-nodes N (default: the largest of --nodes)]"
                            + " [--server-options FILE (the product's JVM options file, to say whether this JVM runs with them)]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument '" + a + "'; try --help");
                    System.exit(2);
                }
            }
        }
        SchedulerBench bench = new SchedulerBench(pods, initPods, creators, stall);
        printHeader(pods, initPods, creators, warmupPods, serverOptions);
        if (warmupPods > 0) {
            // A first run in a fresh JVM spends much of its CPU in the JIT compiler; upstream's figures come from
            // a test binary that has run other workloads first. The warm-up run is printed but not tabled.
            // The warm-up must bind all its pods on nodes of the measured scale: a small cluster fills up (a
            // 100-node warm-up stalled at 4,000 pods) and never compiles the paths a large one takes, and then the
            // measured run paid for the JIT (~19 of 41 CPU-seconds at 5,000 nodes). 20,000 pods: after 10,000 the
            // measured run still spent ~16 s in the JIT and bound 613 pods/s; after 20,000, 716-764 (quiet, 2026-11-26).
            int n = warmupNodes > 0 ? warmupNodes : nodes.stream().mapToInt(Integer::intValue).max().orElse(100);
            System.out.println("[warm-up] " + n + " nodes, " + warmupPods + " pods (not reported)");
            new SchedulerBench(warmupPods, 0, creators, stall).run(n);
            System.out.println();
        }
        List<RunResult> results = new ArrayList<>();
        for (int n : nodes) results.add(bench.run(n));
        printTable(results);
        System.exit(0);
    }

    private static List<Integer> parseList(String v) {
        List<Integer> out = new ArrayList<>();
        for (String s : v.split(",")) out.add(Integer.parseInt(s.trim().replace("_", "")));
        return out;
    }

    /** The figures of one run. */
    record RunResult(int nodes, int pods, int bound, double createdPerSec, double averagePerSec, double sustainedPerSec,
                     double maxPerSec, double p50Ms, double p90Ms, double p99Ms, double nodeSetupSec, String schedulerCounts,
                     double cpuSeconds, double wallSeconds) {
        RunResult withCpu(double cpu, double wall) {
            return new RunResult(nodes, pods, bound, createdPerSec, averagePerSec, sustainedPerSec, maxPerSec, p50Ms, p90Ms, p99Ms,
                    nodeSetupSec, schedulerCounts, cpu, wall);
        }

        double podsPerCpuSecond() {
            return bound / Math.max(1e-9, cpuSeconds);
        }
    }

    private RunResult run(int nodeCount) throws Exception {
        Path dir = Files.createTempDirectory("kube4j-bench-scheduler-");
        System.out.printf(Locale.ROOT, "[%d nodes] API server over the embedded store in %s%n", nodeCount, dir);
        EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
        ApiServer server = ApiServer.start(store, new InetSocketAddress("127.0.0.1", 0), dir);
        Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
        List<KubernetesClient> clients = new ArrayList<>();
        Scheduler scheduler = null;
        BoundPodWatch watch = null;
        AtomicInteger threadIds = new AtomicInteger();
        // One pool for the whole run, so that the creators' CPU time is still countable at the end.
        ExecutorService pool = Executors.newFixedThreadPool(creators, r -> new Thread(r, "bench-creator-" + threadIds.incrementAndGet()));
        try {
            KubernetesClient creatorClient = newClient(config, clients);
            long t0 = System.nanoTime();
            parallel(pool, nodeCount, i -> creatorClient.nodes().resource(node(i)).create());
            double nodeSetup = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "[%d nodes] nodes created in %.1f s%n", nodeCount, nodeSetup);

            scheduler = Scheduler.start(newClient(config, clients),
                    SchedulerOptions.defaults().leaderElect(false).identity("bench-scheduler"));

            BindTracker init = new BindTracker("init-", initPods);
            BindTracker tracker = new BindTracker(PREFIX, pods);
            watch = BoundPodWatch.start(newClient(config, clients), NS, name -> {
                init.bound(name);
                tracker.bound(name);
            });
            PodPoster poster = new PodPoster(creatorClient, NS, pod("", 0));

            if (initPods > 0) {
                parallel(pool, initPods, i -> {
                    init.created(i, System.nanoTime());
                    poster.create("init-" + i);
                });
                if (!awaitBound(init, initPods)) {
                    System.out.printf(Locale.ROOT, "[%d nodes] init pods did not all bind (%d of %d)%n", nodeCount, init.boundCount(), initPods);
                }
                System.out.printf(Locale.ROOT, "[%d nodes] %d init pods bound; measuring %d pods%n", nodeCount, init.boundCount(), pods);
            }

            ThroughputSampler sampler = ThroughputSampler.start(tracker::boundCount);
            CpuAccount cpu = CpuAccount.start();
            long createStart = System.nanoTime();
            parallel(pool, pods, i -> {
                tracker.created(i, System.nanoTime());
                poster.create(PREFIX + i);
            });
            double createdPerSec = pods / ((System.nanoTime() - createStart) / 1e9);
            boolean all = awaitBound(tracker, pods);
            List<Integer> perSecond = sampler.stop();
            double cpuSeconds = cpu.processSeconds();
            double wall = cpu.wallSeconds();
            if (!all) System.out.printf(Locale.ROOT, "[%d nodes] stalled: %d of %d bound%n", nodeCount, tracker.boundCount(), pods);
            RunResult r = figures(nodeCount, tracker, createStart, createdPerSec, perSecond, nodeSetup, schedulerCounts(scheduler));
            System.out.printf(Locale.ROOT, "[%d nodes] %d/%d bound; created %.0f pods/s; bound avg %.0f pods/s, sustained %.0f pods/s"
                            + " (max 1 s %.0f); latency p50 %.0f ms, p90 %.0f ms, p99 %.0f ms; %s%n",
                    nodeCount, r.bound(), pods, r.createdPerSec(), r.averagePerSec(), r.sustainedPerSec(), r.maxPerSec(),
                    r.p50Ms(), r.p90Ms(), r.p99Ms(), r.schedulerCounts());
            System.out.println("[" + nodeCount + " nodes] bound per second: " + perSecond);
            System.out.printf(Locale.ROOT, "[%d nodes] CPU: %.1f s of process CPU in %.1f s (%.2f cores of %d), %.2f ms CPU per pod,"
                            + " %.0f pods per CPU-second; by thread group:%n", nodeCount, cpuSeconds, wall, cpuSeconds / wall,
                    Runtime.getRuntime().availableProcessors(), cpuSeconds * 1000 / Math.max(1, r.bound()), r.bound() / cpuSeconds);
            cpu.byThreadGroup().entrySet().stream().limit(14).forEach(e -> System.out.printf(Locale.ROOT,
                    "    %5.1f%%  %6.1f s  %s%n", 100 * e.getValue() / cpuSeconds, e.getValue(), e.getKey()));
            System.out.printf(Locale.ROOT, "    GC: %s; JIT compilation %.1f s%n", cpu.gcSummary(), cpu.compilationSeconds());
            return r.withCpu(cpuSeconds, wall);
        } finally {
            pool.shutdownNow();
            if (watch != null) watch.close();
            if (scheduler != null) scheduler.close();
            for (KubernetesClient c : clients) c.close();
            server.close();
            store.close();
            EtcdLauncher.deleteTreeQuietly(dir);
        }
    }

    private static KubernetesClient newClient(Config config, List<KubernetesClient> into) {
        KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
        into.add(c);
        return c;
    }

    private static String schedulerCounts(Scheduler s) {
        StringBuilder sb = new StringBuilder("scheduler attempts:");
        for (String line : s.metrics().prometheusText("default-scheduler").split("\n")) {
            if (line.startsWith("scheduler_schedule_attempts_total{")) {
                int r = line.indexOf("result=\"");
                sb.append(' ').append(line, r + 8, line.indexOf('"', r + 8)).append('=').append(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sb.toString();
    }

    /** Waits until every pod is bound or nothing more was bound for stallSeconds. */
    private boolean awaitBound(BindTracker t, int expected) throws InterruptedException {
        int last = -1;
        long lastProgress = System.nanoTime();
        while (t.boundCount() < expected) {
            int now = t.boundCount();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Runs {@code task(0..count-1)} on the creator pool; the first failure aborts the run. */
    private void parallel(ExecutorService pool, int count, IntConsumer task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < creators; w++) {
            futures.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) task.accept(i);
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
    }

    private RunResult figures(int nodes, BindTracker t, long createStart, double createdPerSec, List<Integer> perSecond,
                              double nodeSetup, String counts) {
        double[] latencies = new double[t.boundCount()];
        int k = 0;
        long lastBound = createStart;
        for (int i = 0; i < t.size(); i++) {
            long b = t.boundAt(i);
            if (b == 0) continue;
            if (k < latencies.length) latencies[k++] = Math.max(0, b - t.createdAt(i)) / 1e6;
            lastBound = Math.max(lastBound, b);
        }
        Percentiles lat = new Percentiles(java.util.Arrays.copyOf(latencies, k));
        double average = k / Math.max(1e-9, (lastBound - createStart) / 1e9);
        // Sustained: the median 1 s sample between the first and the last second in which pods were bound
        // (both partial seconds left out), as scheduler_perf reports its throughput percentiles.
        int first = 0;
        while (first < perSecond.size() && perSecond.get(first) == 0) first++;
        int last = perSecond.size() - 1;
        while (last >= 0 && perSecond.get(last) == 0) last--;
        double[] window = perSecond.size() == 0 || last - first < 2
                ? perSecond.stream().mapToDouble(Integer::doubleValue).toArray()
                : perSecond.subList(first + 1, last).stream().mapToDouble(Integer::doubleValue).toArray();
        Percentiles thr = new Percentiles(window);
        return new RunResult(nodes, t.size(), k, createdPerSec, average, thr.get(50), thr.get(100),
                lat.get(50), lat.get(90), lat.get(99), nodeSetup, counts, Double.NaN, Double.NaN);
    }

    /** Upstream scheduler_perf's node-default.yaml: 4 CPUs, 32Gi, 110 pods, Ready. */
    static Node node(int i) {
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("4"), "memory", new Quantity("32Gi"), "pods", new Quantity("110"));
        String name = "node-" + i;
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of("kubernetes.io/hostname", name)).endMetadata()
                .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .withPhase("Running").endStatus()
                .build();
    }

    /** Upstream scheduler_perf's pod-default.yaml: one pause container requesting 100m CPU and 500Mi. */
    static Pod pod(String prefix, int i) {
        Map<String, Quantity> requests = Map.of("cpu", new Quantity("100m"), "memory", new Quantity("500Mi"));
        return new PodBuilder()
                .withNewMetadata().withName(prefix + i).withNamespace(NS).endMetadata()
                .withNewSpec().addNewContainer().withName("pause").withImage("registry.k8s.io/pause:3.10")
                .addNewPort().withContainerPort(80).endPort()
                .withNewResources().withRequests(requests).withLimits(requests).endResources().endContainer().endSpec()
                .build();
    }

    private static void printHeader(int pods, int initPods, int creators, int warmupPods, Path serverOptions) {
        Runtime rt = Runtime.getRuntime();
        System.out.println("kube4j scheduler benchmark (scheduler_perf SchedulingBasic), "
                + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("machine: " + rt.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + "), max heap " + rt.maxMemory() / (1024 * 1024) + " MB"
                + ", load average at start " + loadAverage());
        System.out.println("workload: API server (embedded store) + scheduler in-process over loopback HTTP; " + initPods
                + " init pods, then " + pods + " measured pods (100m CPU, 500Mi) from " + creators + " concurrent creators"
                + (warmupPods > 0 ? "; after a warm-up run of " + warmupPods + " pods" : ""));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        System.out.println("JVM options: " + jvm + " (" + optionsSource(jvm, serverOptions) + ")");
        System.out.println();
    }

    /**
     * Whether this JVM runs with the product's server options (bin/jvm/server.options, which {@code kube4j server} runs
     * the API server and the scheduler with): the heap size and the collector change the figures, so the output says.
     */
    static String optionsSource(List<String> jvmArgs, Path serverOptions) {
        if (serverOptions == null) return "not compared with bin/jvm/server.options";
        List<String> product;
        try {
            product = Files.readAllLines(serverOptions).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .flatMap(l -> java.util.Arrays.stream(l.split("\\s+"))).toList();
        } catch (java.io.IOException e) {
            return "cannot read " + serverOptions + ": " + e.getMessage();
        }
        List<String> missing = product.stream().filter(o -> !jvmArgs.contains(o)).toList();
        // Flags given after the file's (the later of two -Xmx wins); logging properties are not worth mentioning.
        List<String> added = jvmArgs.stream().filter(o -> !product.contains(o) && !o.startsWith("-Dorg.slf4j.")).toList();
        String file = serverOptions.getFileName().toString();
        if (!missing.isEmpty()) return "NOT the product's " + file + "; missing " + String.join(" ", missing);
        return "the product's " + file + (added.isEmpty() ? "" : ", then " + String.join(" ", added) + " (these win)");
    }

    /** The 1-minute load average: other work on the machine skews every figure, so the output says how much. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void printTable(List<RunResult> results) {
        System.out.println();
        System.out.println("load average at end " + loadAverage());
        System.out.println("| nodes | pods bound | created/s | bound/s average | bound/s sustained (median 1 s) | max 1 s | p50 ms | p90 ms | p99 ms | cores used | pods/CPU-s |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (RunResult r : results) {
            System.out.printf(Locale.ROOT, "| %,d | %,d/%,d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.0f |%n",
                    r.nodes(), r.bound(), r.pods(), r.createdPerSec(), r.averagePerSec(), r.sustainedPerSec(), r.maxPerSec(),
                    r.p50Ms(), r.p90Ms(), r.p99Ms(), r.cpuSeconds() / r.wallSeconds(), r.podsPerCpuSecond());
        }
    }
}
