package io.kube4j.bench.apiserver;

import io.kube4j.bench.apiserver.Manifests.Kind;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * kube4j's API server against fabric8's KubernetesMockServer (CRUD mode), each in its own JVM, driven one after
 * the other with the same load over HTTP from one JDK HttpClient: create, get, list and update of ConfigMaps and
 * Pods with 1 and 50 clients, a list of 10,000 pods, and 1,000 watches fed a 1,000-write burst. Prints one table.
 *
 * <p>Usage: ApiServerBench [--ops N] [--cap-seconds S] [--watchers N] [--burst N] [--big-list N] [--servers kube4j,mock]
 */
public final class ApiServerBench {
    private static final int[] CLIENTS = {1, 50};
    private static final int LIST_SIZE = 100;
    private static final String HEAP = "1g";

    private final int ops;
    private final double capSeconds;
    private final int watchers;
    private final int burst;
    private final int bigList;
    private final Path tmp;

    private ApiServerBench(int ops, double capSeconds, int watchers, int burst, int bigList, Path tmp) {
        this.ops = ops;
        this.capSeconds = capSeconds;
        this.watchers = watchers;
        this.burst = burst;
        this.bigList = bigList;
        this.tmp = tmp;
    }

    public static void main(String[] args) throws Exception {
        int ops = 1000;
        double cap = 2.5;
        int watchers = 1000;
        int burst = 1000;
        int bigList = 10_000;
        List<String> servers = List.of("kube4j", "mock");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--ops" -> { ops = Integer.parseInt(v); i++; }
                case "--cap-seconds" -> { cap = Double.parseDouble(v); i++; }
                case "--watchers" -> { watchers = Integer.parseInt(v); i++; }
                case "--burst" -> { burst = Integer.parseInt(v); i++; }
                case "--big-list" -> { bigList = Integer.parseInt(v); i++; }
                case "--servers" -> { servers = List.of(v.split(",")); i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: bench/apiserver [--ops N] [--cap-seconds S] [--watchers N] [--burst N]"
                            + " [--big-list N] [--servers kube4j,mock]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument '" + a + "'; try --help");
                    System.exit(2);
                }
            }
        }
        Path tmp = Files.createTempDirectory("bench-apiserver");
        ApiServerBench bench = new ApiServerBench(ops, cap, watchers, burst, bigList, tmp);
        bench.printHeader();
        Map<String, ServerReport> reports = new LinkedHashMap<>();
        for (String server : servers) {
            reports.put(server, bench.runServer(server));
        }
        new ReportTable(reports).print();
        System.out.println("load average at end: " + loadAverage());
    }

    private void printHeader() {
        System.out.println("bench/apiserver  " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("load average at start: " + loadAverage() + "  (machine shared with other work)");
        System.out.println("each server in its own JVM (-Xmx" + HEAP + ", -Xms64m), driven one after the other from"
                + " this JVM: JDK HttpClient, HTTP/1.1, one shared client, closed-loop clients");
        System.out.println("per phase: " + ops + " ops (list: " + ops / 4 + " ops of a " + LIST_SIZE
                + "-item list), capped at " + capSeconds + " s; watches: " + watchers + " watching configmaps, burst of "
                + burst + " creates from 50 clients; big list: " + bigList + " pods");
        System.out.println();
    }

    private ServerReport runServer(String name) throws Exception {
        Class<?> main = name.equals("kube4j") ? KubeServerMain.class : MockServerMain.class;
        Path dir = tmp.resolve(name);
        System.out.println("[" + name + "] starting");
        try (ServerProcess server = ServerProcess.start(name, main, HEAP, dir, dir.toString())) {
            ServerReport report = new ServerReport(name);
            report.memory.put("idle", memory(server));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Api api = new Api(client, server.port());
            warmUp(api);
            for (Kind kind : Kind.values()) {
                for (int clients : CLIENTS) {
                    crud(api, kind, clients, report);
                }
            }
            bigList(api, report);
            report.memory.put("loaded", memory(server));
            watches(api, name.equals("kube4j") ? WatchFanout.Transport.HTTP_STREAM : WatchFanout.Transport.WEBSOCKET,
                    report);
            report.memory.put("with watches", memory(server));
            report.peakRssKb = server.peakRssKb();
            return report;
        } catch (Exception e) {
            System.out.println("[" + name + "] failed: " + e + " (server log in " + tmp.resolve(name) + ")");
            throw e;
        }
    }

    private void crud(Api api, Kind kind, int clients, ServerReport report) throws Exception {
        String ns = "b-" + kind.resource + "-c" + clients;
        String listNs = "l-" + kind.resource + "-c" + clients;
        ensureNamespace(api, ns);
        ensureNamespace(api, listNs);
        String prefix = kind.resource + " c" + clients + " ";
        AtomicReferenceArray<String> created = new AtomicReferenceArray<>(ops);
        report.add(prefix + "create", LoadRunner.run(clients, ops, capSeconds, i -> {
            HttpResponse<String> r = api.post(kind.collection(ns), kind.body(ns, name(i)));
            if (!Api.ok(r)) {
                return r.statusCode() + " " + Manifests.abbreviate(r.body());
            }
            created.set(i, r.body());
            return null;
        }));
        int stored = 0;
        while (stored < ops && created.get(stored) != null) {
            stored++;
        }
        int objects = Math.max(stored, 1);
        report.add(prefix + "get", LoadRunner.run(clients, ops, capSeconds, i -> {
            HttpResponse<String> r = api.get(kind.item(ns, name(ThreadLocalRandom.current().nextInt(objects))));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        }));
        int updates = stored;
        report.add(prefix + "update", LoadRunner.run(clients, updates, capSeconds, i -> {
            HttpResponse<String> r = api.put(kind.item(ns, name(i)), Manifests.relabel(created.get(i), 1));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        }));
        fill(api, kind, listNs, LIST_SIZE, 10);
        report.add(prefix + "list" + LIST_SIZE, LoadRunner.run(clients, ops / 4, capSeconds, i -> {
            HttpResponse<String> r = api.get(kind.collection(listNs));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        }));
        System.out.println("[" + report.name + "] " + kind.resource + " with " + clients + " client(s) done");
    }

    /** Unmeasured load first, so neither JIT compiler is measured cold. */
    private static void warmUp(Api api) throws Exception {
        for (Kind kind : Kind.values()) {
            String ns = "warmup-" + kind.resource;
            ensureNamespace(api, ns);
            fill(api, kind, ns, 300, 50);
            LoadRunner.run(50, 600, 5, i -> {
                HttpResponse<String> r = api.get(kind.item(ns, name(i % 300)));
                if (i % 3 == 0 && Api.ok(r)) {
                    r = api.put(kind.item(ns, name(i % 300)), Manifests.relabel(r.body(), i));
                }
                return null;
            });
            LoadRunner.run(10, 100, 5, i -> {
                api.get(kind.collection(ns));
                return null;
            });
        }
    }

    private void bigList(Api api, ServerReport report) throws Exception {
        String ns = "big";
        ensureNamespace(api, ns);
        report.add("pods fill " + bigList + " (c50 create)", fill(api, Kind.PODS, ns, bigList, 50));
        int[] items = new int[1];
        long[] bytes = new long[1];
        report.add("pods list " + bigList + " (c1)", LoadRunner.run(1, 3, 20, i -> {
            HttpResponse<String> r = api.get(Kind.PODS.collection(ns));
            if (!Api.ok(r)) {
                return r.statusCode() + " " + Manifests.abbreviate(r.body());
            }
            items[0] = count(r.body(), "\"name\":\"o-");
            bytes[0] = r.body().length();
            return items[0] == bigList ? null : "list had " + items[0] + " items";
        }));
        report.notes.add(String.format(Locale.ROOT, "big list: %d items, %.1f MB a response", items[0],
                bytes[0] / 1e6));
        System.out.println("[" + report.name + "] big list done");
    }

    private void watches(Api api, WatchFanout.Transport transport, ServerReport report) throws Exception {
        String ns = "watch";
        ensureNamespace(api, ns);
        String path = Kind.CONFIGMAPS.collection(ns);
        HttpResponse<String> list = api.get(path);
        String rv = Manifests.resourceVersion(list.body());
        WatchFanout fanout = new WatchFanout(api, path, watchers, burst);
        long openStart = System.nanoTime();
        fanout.open(transport, rv);
        long openNanos = System.nanoTime() - openStart;
        Thread.sleep(500);
        long t0 = System.nanoTime();
        PhaseResult writes = LoadRunner.run(50, burst, 20, i -> {
            HttpResponse<String> r = api.post(path, Manifests.configMap(ns, name(i)));
            return Api.ok(r) ? null : r.statusCode() + " " + Manifests.abbreviate(r.body());
        });
        WatchFanout.Outcome outcome = fanout.await(20);
        fanout.close();
        report.add("watch burst writes (c50 create)", writes);
        long[] done = Arrays.stream(outcome.completedAt()).filter(t -> t != 0).map(t -> t - t0).sorted().toArray();
        report.watch = new WatchReport(watchers, outcome.established(), done.length, openNanos,
                writes.elapsedNanos(), done.length == 0 ? -1 : done[done.length / 2],
                done.length == 0 ? -1 : done[done.length - 1], outcome.received(), outcome.overCount(), outcome.firstError(), transport);
        System.out.println("[" + report.name + "] watches done");
    }

    /** Creates {@code count} objects (names o-00000...) in a namespace; returns the timing of it. */
    private static PhaseResult fill(Api api, Kind kind, String ns, int count, int clients) throws Exception {
        PhaseResult r = LoadRunner.run(clients, count, 120, i -> {
            HttpResponse<String> response = api.post(kind.collection(ns), kind.body(ns, name(i)));
            return Api.ok(response) ? null : response.statusCode() + " " + Manifests.abbreviate(response.body());
        });
        if (r.errors() > 0) {
            throw new IllegalStateException("filling " + ns + ": " + r.errors() + " errors, first: " + r.firstError());
        }
        return r;
    }

    private static void ensureNamespace(Api api, String name) throws Exception {
        HttpResponse<String> r = api.post("/api/v1/namespaces", Manifests.namespace(name));
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

    record WatchReport(int watchers, int established, int fed, long openNanos, long burstNanos, long p50FedNanos,
                       long allFedNanos, long eventsReceived, int overCount, String firstError, WatchFanout.Transport transport) {
    }

    /** Everything measured for one server. */
    static final class ServerReport {
        final String name;
        final Map<String, PhaseResult> phases = new LinkedHashMap<>();
        final Map<String, Memory> memory = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        long peakRssKb;
        WatchReport watch;

        ServerReport(String name) {
            this.name = name;
        }

        void add(String phase, PhaseResult result) {
            phases.put(phase, result);
        }
    }
}
