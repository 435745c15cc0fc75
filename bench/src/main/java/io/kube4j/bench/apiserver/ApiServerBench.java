package io.kube4j.bench.apiserver;

import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.bench.EtcdLauncher;
import io.kube4j.bench.apiserver.Manifests.Kind;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * kube4j's API server against fabric8's KubernetesMockServer (CRUD mode), each in its own JVM, driven one after
 * the other with the same load over HTTP (kept-alive connections each client thread drives itself, or one JDK
 * HttpClient): after the same untimed warm-up, create, get,
 * update and list of ConfigMaps and Pods with 1 and 50 clients, a list of 10,000 pods read three ways, and 1,000
 * watches (held by several watcher processes) fed a 1,000-write burst. Prints one table.
 *
 * <p>Usage: see {@link BenchOptions#USAGE}.
 */
public final class ApiServerBench {
    private static final int LIST_SIZE = 100;
    private static final int CLEANUP_CLIENTS = 50;
    private static final String HEAP = "1g";
    static final String BURST_PHASE = "watch burst writes (c50 create)";

    private final BenchOptions o;
    private final Path tmp;

    private ApiServerBench(BenchOptions options, Path tmp) {
        this.o = options;
        this.tmp = tmp;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            return;
        }
        Path tmp = Files.createTempDirectory("bench-apiserver");
        ApiServerBench bench = new ApiServerBench(options, tmp);
        bench.printHeader();
        long t0 = System.nanoTime();
        Map<String, ServerReport> reports = new LinkedHashMap<>();
        try {
            for (String server : options.servers()) {
                reports.put(server, bench.runServer(server));
            }
        } finally {
            // each run leaves ~150 MB of store data and logs otherwise
            EtcdLauncher.deleteTreeQuietly(tmp);
        }
        new ReportTable(reports).print();
        System.out.println(String.format(Locale.ROOT, "load average at end: %s; whole run %.0f s", loadAverage(),
                (System.nanoTime() - t0) / 1e9));
    }

    private void printHeader() {
        System.out.println("bench/apiserver  " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("load average at start: " + loadAverage() + "  (machine shared with other work)");
        // the --server-jvm options follow the bench's own heap options on the command line, and win where they repeat
        System.out.println("each server in its own JVM (-Xmx" + HEAP + " -Xms64m"
                + (o.serverJvmOptions().isEmpty() ? "" : ", then " + String.join(" ", o.serverJvmOptions()))
                + "), driven one after the other from this JVM, closed-loop clients over HTTP/1.1: " + (o.driver() == Api.Driver.RAW
                ? "each client thread sends on a kept-alive connection of its own and reads the answer itself"
                : "one shared JDK HttpClient") + " (--driver " + o.driver().name().toLowerCase(Locale.ROOT) + ")");
        System.out.println(String.format(Locale.ROOT, "warm-up (untimed, same for both): %d GET %s, then %d creates,"
                        + " gets, updates, deletes and %d lists of %d per kind from %d clients", o.warmupOps(), FLOOR_PATH,
                o.warmupOps(), o.warmupOps() / 10, LIST_SIZE, o.warmupClients()));
        System.out.println(String.format(Locale.ROOT, "per phase: %d ops at 1 client, %d at 50 (lists: a quarter, of"
                        + " %d items), capped at %.0f s; each phase's objects deleted (untimed) after its block",
                o.opsC1(), o.opsC50(), LIST_SIZE, o.capSeconds()));
        System.out.println("phases: " + o.phases() + " (floor: GET " + FLOOR_PATH + " round trips; crud; list: the big"
                + " list; watch: the burst)");
        System.out.println(String.format(Locale.ROOT, "watches: %d on configmaps held by %d watcher JVMs, burst of %d"
                        + " creates from 50 clients (watch read pause %d ms); big list: %d pods, %d reads per reader",
                o.watchers(), o.watchProcs(), o.burst(), o.readPauseMillis(), o.bigList(), o.bigListReps()));
        System.out.println();
    }

    private ServerReport runServer(String name) throws Exception {
        Class<?> main = name.equals("kube4j") ? KubeServerMain.class : MockServerMain.class;
        Path dir = tmp.resolve(name);
        System.out.println("[" + name + "] starting");
        try (ServerProcess server = ServerProcess.start(name, main, HEAP, o.serverJvmOptions(), dir,
                dir.toString())) {
            ServerReport report = new ServerReport(name);
            String loadAtStart = loadAverage();
            report.memory.put("idle", memory(server));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Api api = new Api(client, server.port(), o.driver());
            long w0 = System.nanoTime();
            double jit0 = JitCompilerCpu.seconds(server.pid());
            int rounds = warmUpUntilCompiled(api, server);
            report.notes.add(String.format(Locale.ROOT, "warm-up took %.1f s: %d round(s) until its JIT compilers"
                            + " used under %.0f %% of a round's time (%.1f s of compiler CPU in all)",
                    (System.nanoTime() - w0) / 1e9, rounds, JIT_CONVERGED_SHARE * 100,
                    JitCompilerCpu.seconds(server.pid()) - jit0));
            System.out.println("[" + name + "] warm-up done");
            Settling settling = new Settling(server);
            if (o.runs("floor")) {
                for (int clients : o.clients()) {
                    settling.await();
                    floor(api, server, clients, report);
                }
            }
            if (o.runs("crud")) {
                for (Kind kind : Kind.values()) {
                    for (int clients : o.clients()) {
                        settling.await();
                        crud(api, server, kind, clients, report);
                    }
                }
            }
            if (o.runs("list")) {
                settling.await();
                bigList(api, report);
            }
            report.memory.put("loaded", memory(server));
            if (o.runs("watch")) {
                settling.await();
                watches(api, server, name.equals("mock"), report);
            }
            report.notes.add(settling.summary());
            report.peakRssKb = server.peakRssKb();
            report.notes.add("load average at its start " + loadAtStart + ", at its end " + loadAverage());
            api.close();
            return report;
        } catch (Exception e) {
            System.out.println("[" + name + "] failed: " + e + " (server log in " + tmp.resolve(name) + ")");
            throw e;
        }
    }

    /**
     * The floor under every other row: GET /version from the same client at the same concurrency, a request that
     * makes the server do next to nothing (kube4j answers its version; the mock, which serves no /version, an empty
     * List of about the same size), so what a CRUD row costs beyond it is the server's own work on the object.
     */
    private void floor(Api api, ServerProcess server, int clients, ServerReport report) throws Exception {
        String phase = floorPhase(clients);
        double cpu0 = server.cpuSeconds();
        double driver0 = ProcessCpu.seconds(ProcessHandle.current());
        long alloc0 = server.allocatedBytes();
        report.add(phase, LoadRunner.run(clients, o.ops(clients), o.capSeconds(), i -> {
            Api.Response r = api.get(FLOOR_PATH);
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        }));
        serverCpu(report, phase, server.cpuSeconds() - cpu0, server.allocatedBytes() - alloc0,
                ProcessCpu.seconds(ProcessHandle.current()) - driver0);
        System.out.println("[" + report.name + "] floor with " + clients + " client(s) done");
    }

    static final String FLOOR_PATH = "/version";

    /** The name of the floor row at {@code clients} clients, which the report looks up again. */
    static String floorPhase(int clients) {
        return "floor c" + clients + " GET " + FLOOR_PATH;
    }

    private void crud(Api api, ServerProcess server, Kind kind, int clients, ServerReport report) throws Exception {
        int ops = o.ops(clients);
        double cap = o.capSeconds();
        String ns = "b-" + kind.resource + "-c" + clients;
        String listNs = "l-" + kind.resource + "-c" + clients;
        ensureNamespace(api, ns);
        ensureNamespace(api, listNs);
        String prefix = kind.resource + " c" + clients + " ";
        AtomicReferenceArray<String> created = new AtomicReferenceArray<>(ops);
        double cpu0 = server.cpuSeconds();
        double driver0 = ProcessCpu.seconds(ProcessHandle.current());
        long alloc0 = server.allocatedBytes();
        phaseStarts(report, prefix + "create");
        report.add(prefix + "create", LoadRunner.run(clients, ops, cap, i -> {
            Api.Response r = api.post(kind.collection(ns), kind.body(ns, name(i)));
            if (!Api.ok(r)) {
                return r.statusCode() + " " + Manifests.abbreviate(r.body());
            }
            created.set(i, r.body());
            return null;
        }));
        serverCpu(report, prefix + "create", server.cpuSeconds() - cpu0, server.allocatedBytes() - alloc0,
                ProcessCpu.seconds(ProcessHandle.current()) - driver0);
        int stored = 0;
        while (stored < ops && created.get(stored) != null) {
            stored++;
        }
        int objects = Math.max(stored, 1);
        phaseStarts(report, prefix + "get");
        report.add(prefix + "get", LoadRunner.run(clients, ops, cap, i -> {
            Api.Response r = api.get(kind.item(ns, name(ThreadLocalRandom.current().nextInt(objects))));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        }));
        double cpu1 = server.cpuSeconds();
        double driver1 = ProcessCpu.seconds(ProcessHandle.current());
        long alloc1 = server.allocatedBytes();
        phaseStarts(report, prefix + "update");
        PhaseResult updates = LoadRunner.run(clients, stored, cap, i -> {
            Api.Response r = api.put(kind.item(ns, name(i)), Manifests.relabel(created.get(i), 1));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        });
        report.add(prefix + "update", updates);
        serverCpu(report, prefix + "update", server.cpuSeconds() - cpu1, server.allocatedBytes() - alloc1,
                ProcessCpu.seconds(ProcessHandle.current()) - driver1);
        // a 2xx alone does not show that the change was stored: read some back (untimed), for both servers alike
        report.notes.add(prefix + "update " + readBackUpdates(api, kind, ns, updates.ops() - clients));
        fill(api, kind, listNs, LIST_SIZE, 10);
        phaseStarts(report, prefix + "list");
        report.add(prefix + "list" + LIST_SIZE, LoadRunner.run(clients, ops / 4, cap, i -> {
            Api.Response r = api.get(kind.collection(listNs));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        }));
        // the mock finds an object by scanning all it holds, so every phase starts from the same small store
        deleteAll(api, kind, ns, createdCount(created, ops));
        System.out.println("[" + report.name + "] " + kind.resource + " with " + clients + " client(s) done");
    }

    /** A line as each measured phase starts, so that a profiler attached by hand can be timed to one phase. */
    private static void phaseStarts(ServerReport report, String phase) {
        System.out.println("[" + report.name + "] " + phase + " starts");
    }

    /**
     * Notes the server's CPU time (its JVM's, GC and idle work included) and allocation per operation of a phase
     * just added: allocation, unlike latency, does not depend on what else the machine is running.
     */
    private static void serverCpu(ServerReport report, String phase, double seconds, long allocated,
                                  double driverSeconds) {
        PhaseResult r = report.phases.get(phase);
        int ops = Math.max(1, r.ops());
        report.notes.add(String.format(Locale.ROOT, "%s: server CPU %.0f us and %.1f KB allocated per op (%.2f s,"
                + " %d ops); the driver's CPU %.0f us per op", phase, seconds * 1e6 / ops, allocated / 1024.0 / ops,
                seconds, r.ops(), driverSeconds * 1e6 / ops));
    }

    /** A warm-up round converged: its JIT compiler threads used less than this share of the round's time. */
    static final double JIT_CONVERGED_SHARE = 0.05;
    private static final int MAX_WARMUP_ROUNDS = 8;

    /**
     * Warm-up rounds until the server's JIT compilers have caught up with the load. One round is not enough on a
     * slow 2-core machine: C2 spent ~40 s of CPU compiling kube4j's hot paths, most of it after a first 20 s round,
     * so the phases after it measured the compiler beside the server. Compile tasks queued and then left cold are
     * dropped again, so an idle pause does not finish the job; only the load does. Returns the rounds run.
     */
    private int warmUpUntilCompiled(Api api, ServerProcess server) throws Exception {
        if (o.warmupOps() == 0) {
            return 1;
        }
        return untilCompiled(server, "warm-up", round -> warmUp(api));
    }

    /** One warm-up round; {@code round} counts from 1. */
    private interface WarmUpRound {
        void run(int round) throws Exception;
    }

    /**
     * Runs {@code round} until the server's JIT compilers used under {@link #JIT_CONVERGED_SHARE} of a round's time
     * (at most {@link #MAX_WARMUP_ROUNDS}), printing each round's share; returns the rounds run.
     */
    private static int untilCompiled(ServerProcess server, String what, WarmUpRound round) throws Exception {
        for (int n = 1; ; n++) {
            double jit0 = JitCompilerCpu.seconds(server.pid());
            long t0 = System.nanoTime();
            round.run(n);
            double share = (JitCompilerCpu.seconds(server.pid()) - jit0) / ((System.nanoTime() - t0) / 1e9);
            System.out.println(String.format(Locale.ROOT, "[%s] %s round %d: JIT compilers %.0f %% of it",
                    server.name(), what, n, share * 100));
            if (share < JIT_CONVERGED_SHARE || n == MAX_WARMUP_ROUNDS) {
                return n;
            }
        }
    }

    /**
     * The same untimed load for both servers before anything is measured, every verb and kind the measured phases
     * use, so that neither JIT compiler is measured while still compiling; its objects are deleted again.
     */
    private void warmUp(Api api) throws Exception {
        int n = o.warmupOps();
        if (n == 0) {
            return;
        }
        int clients = o.warmupClients();
        // the floor's request too: measured cold, its first phase timed the JIT compiling it (server CPU per op at
        // 1 client was several times the 50-client figure)
        LoadRunner.run(clients, n, 120, i -> {
            api.get(FLOOR_PATH);
            return null;
        });
        for (Kind kind : Kind.values()) {
            String ns = "warmup-" + kind.resource;
            String listNs = "warmup-list-" + kind.resource;
            ensureNamespace(api, ns);
            ensureNamespace(api, listNs);
            AtomicReferenceArray<String> created = new AtomicReferenceArray<>(n);
            LoadRunner.run(clients, n, 120, i -> {
                Api.Response r = api.post(kind.collection(ns), kind.body(ns, name(i)));
                if (Api.ok(r)) {
                    created.set(i, r.body());
                }
                return null;
            });
            int count = createdCount(created, n);
            LoadRunner.run(clients, n, 120, i -> {
                api.get(kind.item(ns, name(i % Math.max(count, 1))));
                return null;
            });
            LoadRunner.run(clients, n, 120, i -> {
                String body = created.get(i);
                if (body != null) {
                    api.put(kind.item(ns, name(i)), Manifests.relabel(body, 1));
                }
                return null;
            });
            fill(api, kind, listNs, LIST_SIZE, clients);
            LoadRunner.run(clients, Math.max(1, n / 10), 120, i -> {
                api.get(kind.collection(listNs));
                return null;
            });
            deleteAll(api, kind, ns, count);
            deleteAll(api, kind, listNs, LIST_SIZE);
        }
    }

    private void bigList(Api api, ServerReport report) throws Exception {
        String ns = "big";
        ensureNamespace(api, ns);
        report.add("pods fill " + o.bigList() + " (c50 create)", fill(api, Kind.PODS, ns, o.bigList(), 50));
        String path = Kind.PODS.collection(ns);
        int reps = o.bigListReps();
        long[] firstByte = new long[reps];
        long[] bytes = new long[2];
        LoadRunner.Operation raw = i -> {
            RawGet.Result r = RawGet.get("127.0.0.1", api.port(), path);
            if (i >= 0) {
                firstByte[i] = r.firstByteNanos();
            }
            bytes[0] = r.bodyBytes();
            bytes[1] = r.wireBytes();
            return r.status() == 200 ? null : "status " + r.status();
        };
        int[] items = new int[1];
        LoadRunner.Operation asString = i -> {
            Api.Response r = api.getWithJdk(path);
            if (!Api.ok(r)) {
                return r.statusCode() + " " + Manifests.abbreviate(r.body());
            }
            items[0] = count(r.body(), "\"name\":\"o-");
            return items[0] == o.bigList() ? null : "list had " + items[0] + " items";
        };
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + api.port())
                .withRequestTimeout(120_000).build();
        try (KubernetesClient fabric8 = new KubernetesClientBuilder().withConfig(config).build()) {
            LoadRunner.Operation typed = i -> {
                PodList list = fabric8.pods().inNamespace(ns).list();
                return list.getItems().size() == o.bigList() ? null : "list had " + list.getItems().size() + " items";
            };
            // one untimed read each first: class loading and the first decode of a Pod are not the server's
            for (LoadRunner.Operation op : List.of(raw, asString, typed)) {
                String error = op.run(-1);
                if (error != null) {
                    throw new IllegalStateException("big list: " + error);
                }
            }
            String suffix = " " + o.bigList() + " (c1)";
            PhaseResult[] results = interleaved(reps, raw, asString, typed);
            report.add("pods list" + suffix + " raw, last byte", results[0]);
            report.add("pods list" + suffix + " JDK String", results[1]);
            report.add("pods list" + suffix + " fabric8", results[2]);
        }
        long[] sortedFirst = firstByte.clone();
        Arrays.sort(sortedFirst);
        // the median the way PhaseResult takes it, so it sits next to the last-byte p50 it is compared with
        long medianFirst = sortedFirst[Math.max(0, (int) Math.ceil(sortedFirst.length / 2.0) - 1)];
        report.bigList = new BigListReport(o.bigList(), bytes[0], bytes[1], medianFirst);
        System.out.println("[" + report.name + "] big list done");
    }

    private void watches(Api api, ServerProcess server, boolean websocket, ServerReport report) throws Exception {
        if (o.watchWarmup() > 0) {
            long w0 = System.nanoTime();
            String[] fed = {""};
            // as the CRUD warm-up: bursts until the server's JIT compilers have caught up with the watch path
            int rounds = untilCompiled(server, "watch warm-up",
                    round -> fed[0] = watchWarmUp(api, websocket, report.name, round));
            report.notes.add(String.format(Locale.ROOT, "watch warm-up (%d watches, a %d-write burst, untimed,"
                            + " %d round(s)): %s in the last, %.1f s in all", o.watchWarmup(), o.burst(), rounds, fed[0],
                    (System.nanoTime() - w0) / 1e9));
        }
        String ns = "watch";
        ensureNamespace(api, ns);
        String path = Kind.CONFIGMAPS.collection(ns);
        String query = watchQuery(api, path, websocket);
        try (WatchProcesses procs = WatchProcesses.start(o.watchProcs(), o.watchers(), api.port(), query, websocket,
                o.burst(), "o-", o.readPauseMillis(), tmp.resolve(report.name))) {
            long openStart = System.nanoTime();
            WatchProcesses.Ready ready = procs.awaitReady(120_000);
            long openNanos = System.nanoTime() - openStart;
            // a watch is answered before the server has necessarily registered it everywhere; let it settle
            Thread.sleep(500);
            double serverCpu0 = server.cpuSeconds();
            double watchersCpu0 = procs.cpuSeconds();
            long[] serverCalls0 = ProcessSyscalls.of(server.pid());
            long[] watcherCalls0 = procs.syscalls();
            double driverCpu0 = ProcessCpu.seconds(ProcessHandle.current());
            System.out.println("[" + report.name + "] " + ready.established() + " watches open; the burst starts");
            AtomicLong firstWrite = new AtomicLong(Long.MAX_VALUE);
            AtomicLong lastWriteDone = new AtomicLong(Long.MIN_VALUE);
            PhaseResult writes = LoadRunner.run(50, o.burst(), o.burstCapSeconds(), i -> {
                firstWrite.accumulateAndGet(System.currentTimeMillis(), Math::min);
                Api.Response r = api.post(path, Manifests.configMap(ns, name(i)));
                // the same clock as the watchers' FED times (epoch millis on this machine)
                lastWriteDone.accumulateAndGet(System.currentTimeMillis(), Math::max);
                return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
            });
            report.add(BURST_PHASE, writes);
            long[] fedAt = procs.awaitFed(ready.established(),
                    System.currentTimeMillis() + (long) (o.watchTimeoutSeconds() * 1000));
            long[] serverCalls = ProcessSyscalls.of(server.pid());
            long[] watcherCalls = procs.syscalls();
            Cpu cpu = new Cpu(server.cpuSeconds() - serverCpu0, procs.cpuSeconds() - watchersCpu0,
                    serverCalls[1] - serverCalls0[1], watcherCalls[0] - watcherCalls0[0],
                    ProcessCpu.seconds(ProcessHandle.current()) - driverCpu0);
            report.memory.put("with watches", memory(server));
            WatchProcesses.Summary summary = procs.stop(15_000);
            long[] fed = Arrays.stream(fedAt).filter(t -> t != 0).map(t -> t - firstWrite.get()).sorted().toArray();
            report.watch = new WatchReport(o.watchers(), o.watchProcs(), ready, openNanos, writes.ops(),
                    writes.elapsedNanos(), lastWriteDone.get() - firstWrite.get(), fed, summary, cpu,
                    websocket ? "WebSocket" : "HTTP stream");
        }
        System.out.println("[" + report.name + "] watches done");
    }

    /** A watch of {@code path} from now: the mock serves watches over WebSocket only, and keeps no history. */
    private static String watchQuery(Api api, String path, boolean websocket) throws Exception {
        if (websocket) {
            return path + "?watch=true";
        }
        String rv = Manifests.resourceVersion(api.get(path).body());
        return path + "?watch=1" + (rv == null ? "" : "&resourceVersion=" + rv);
    }

    /**
     * The measured burst's load with a few watches, untimed and in a namespace of its own, so that the server's watch
     * path (fan-out, encoding, streaming) is compiled before it is measured, as the warm-up does for the CRUD paths;
     * returns how many watches were fed.
     */
    private String watchWarmUp(Api api, boolean websocket, String server, int round) throws Exception {
        String ns = "watch-warmup-" + round;
        ensureNamespace(api, ns);
        String path = Kind.CONFIGMAPS.collection(ns);
        String query = watchQuery(api, path, websocket);
        try (WatchProcesses procs = WatchProcesses.start(1, o.watchWarmup(), api.port(), query, websocket, o.burst(),
                "o-", o.readPauseMillis(), tmp.resolve(server + "-watch-warmup-" + round))) {
            WatchProcesses.Ready ready = procs.awaitReady(120_000);
            Thread.sleep(500);
            LoadRunner.run(50, o.burst(), o.burstCapSeconds(), i -> {
                api.post(path, Manifests.configMap(ns, name(i)));
                return null;
            });
            long[] fedAt = procs.awaitFed(ready.established(),
                    System.currentTimeMillis() + (long) (o.watchTimeoutSeconds() * 1000));
            procs.stop(15_000);
            return Arrays.stream(fedAt).filter(t -> t != 0).count() + "/" + o.watchWarmup() + " fed";
        }
    }

    /**
     * Runs each operation {@code reps} times from one client, taking turns (a, b, c, a, b, c, ...), so that whatever
     * else the server is doing at the time (GC, compaction after the fill) falls on all readers alike.
     */
    private static PhaseResult[] interleaved(int reps, LoadRunner.Operation... ops) throws Exception {
        long[][] latencies = new long[ops.length][reps];
        int[] errors = new int[ops.length];
        String[] firstError = new String[ops.length];
        for (int rep = 0; rep < reps; rep++) {
            for (int k = 0; k < ops.length; k++) {
                long t0 = System.nanoTime();
                String error = ops[k].run(rep);
                latencies[k][rep] = System.nanoTime() - t0;
                if (error != null) {
                    errors[k]++;
                    firstError[k] = firstError[k] != null ? firstError[k] : error;
                }
            }
        }
        PhaseResult[] out = new PhaseResult[ops.length];
        for (int k = 0; k < ops.length; k++) {
            out[k] = PhaseResult.of(reps, errors[k], Arrays.stream(latencies[k]).sum(), latencies[k], firstError[k],
                    false);
        }
        return out;
    }

    /**
     * Reads back up to 20 of the first {@code updated} objects of an update phase and counts those that carry the
     * new label (a capped phase may have skipped a few indices near its end, hence only the first ones).
     */
    private static String readBackUpdates(Api api, Kind kind, String ns, int updated) throws Exception {
        int step = Math.max(1, updated / 20);
        int checked = 0;
        int changed = 0;
        for (int i = 0; i < updated; i += step) {
            Api.Response r = api.get(kind.item(ns, name(i)));
            checked++;
            if (Api.ok(r) && r.body().contains("\"gen\":\"g1\"")) {
                changed++;
            }
        }
        return "read back: " + changed + " of " + checked + " sampled objects carry the update";
    }

    /** Creates {@code count} objects (names o-00000...) in a namespace; returns the timing of it. */
    private static PhaseResult fill(Api api, Kind kind, String ns, int count, int clients) throws Exception {
        PhaseResult r = LoadRunner.run(clients, count, 120, i -> {
            Api.Response response = api.post(kind.collection(ns), kind.body(ns, name(i)));
            return Api.ok(response) ? null : response.statusCode() + " " + Manifests.abbreviate(response.body());
        });
        if (r.errors() > 0) {
            throw new IllegalStateException("filling " + ns + ": " + r.errors() + " errors, first: " + r.firstError());
        }
        return r;
    }

    /** Deletes objects o-00000 up to {@code count} (untimed); failures only matter as a warning. */
    private static void deleteAll(Api api, Kind kind, String ns, int count) throws Exception {
        PhaseResult r = LoadRunner.run(CLEANUP_CLIENTS, count, 120, i -> {
            Api.Response response = api.delete(kind.item(ns, name(i)));
            return Api.ok(response) || response.statusCode() == 404 ? null
                    : response.statusCode() + " " + Manifests.abbreviate(response.body());
        });
        if (r.errors() > 0 || r.ops() < count) {
            System.out.println("  (cleanup of " + ns + ": " + r.ops() + "/" + count + " deletes, " + r.errors()
                    + " errors, first: " + r.firstError() + ")");
        }
    }

    private static int createdCount(AtomicReferenceArray<String> created, int max) {
        int last = 0;
        for (int i = 0; i < max; i++) {
            if (created.get(i) != null) {
                last = i + 1;
            }
        }
        return last;
    }

    private static void ensureNamespace(Api api, String name) throws Exception {
        Api.Response r = api.post("/api/v1/namespaces", Manifests.namespace(name));
        if (!Api.ok(r) && r.statusCode() != 409) {
            throw new IllegalStateException("creating namespace " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static Memory memory(ServerProcess server) throws Exception {
        long heap = server.heapUsed();
        return new Memory(heap, server.rssKb());
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "o-%05d", i);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int at = s.indexOf(needle); at >= 0; at = s.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    record Memory(long heapBytes, long rssKb) {
    }

    /**
     * CPU seconds each party used from just before the burst until the watches were fed (or the wait ended), and
     * the server's write and the watchers' read system calls in that time.
     */
    record Cpu(double server, double watchers, long serverWriteCalls, long watcherReadCalls, double driver) {
    }

    /** The big list's size and the raw reader's time to first byte (median). */
    record BigListReport(int items, long bodyBytes, long wireBytes, long firstByteNanos) {
    }

    /**
     * The watch fan-out: {@code fedMillis} are the fed watches' times after the burst's first write was sent,
     * sorted; {@code spanMillis} is how long after that the burst's last write was answered; {@code summary} is
     * what the watcher processes counted.
     */
    record WatchReport(int watchers, int procs, WatchProcesses.Ready ready, long openNanos, int writes,
                       long burstNanos, long spanMillis, long[] fedMillis, WatchProcesses.Summary summary, Cpu cpu,
                       String transport) {
        /** Fed time after the burst's first write was sent, at percentile {@code p}; -1 if none was fed. */
        long percentileMillis(double p) {
            if (fedMillis.length == 0) {
                return -1;
            }
            int i = (int) Math.ceil(p / 100.0 * fedMillis.length) - 1;
            return fedMillis[Math.max(0, Math.min(i, fedMillis.length - 1))];
        }

        /**
         * Fed time after the burst's last write was answered, at percentile {@code p} (negative: fed before the
         * writes were all answered); Long.MIN_VALUE if none was fed.
         */
        long afterLastWriteMillis(double p) {
            return fedMillis.length == 0 ? Long.MIN_VALUE : percentileMillis(p) - spanMillis;
        }

        boolean allFed() {
            return ready.established() == watchers && fedMillis.length == watchers;
        }
    }

    /** Everything measured for one server. */
    static final class ServerReport {
        final String name;
        final Map<String, PhaseResult> phases = new LinkedHashMap<>();
        final Map<String, Memory> memory = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        long peakRssKb;
        WatchReport watch;
        BigListReport bigList;

        ServerReport(String name) {
            this.name = name;
        }

        void add(String phase, PhaseResult result) {
            phases.put(phase, result);
        }
    }
}
