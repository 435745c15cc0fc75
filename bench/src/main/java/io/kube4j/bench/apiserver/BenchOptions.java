package io.kube4j.bench.apiserver;

import java.util.List;

/** bench/apiserver's command line: every count and bound of the run, with defaults sized for ~10 min on 2 cores. */
record BenchOptions(int opsC1, int opsC50, double capSeconds, int warmupOps, int warmupClients, int watchers,
                    int watchProcs, int watchWarmup, int readPauseMillis, int burst, double burstCapSeconds,
                    double watchTimeoutSeconds, int bigList, int bigListReps, List<String> servers,
                    String phases, List<Integer> clients, Api.Driver driver,
                    List<String> serverJvmOptions) {

    static final String USAGE = """
            usage: bench/apiserver [options]
              --ops-c1 N              measured ops per 1-client phase (default 5000; lists: N/4)
              --ops N                 measured ops per 50-client phase (default 5000; lists: N/4)
              --cap-seconds S         time cap of one measured phase (default 20)
              --warmup-ops N          untimed ops per verb and kind before anything is measured (default 3000;
                                      create, get, update, delete N each, list of 100 N/10)
              --warmup-clients N      clients of the warm-up (default 8)
              --watchers N            watches open during the burst (default 1000)
              --watch-procs N         watcher processes sharing them (default 4)
              --watch-warmup N        watches of an untimed burst before the measured one, so the server's
                                      watch path is compiled before it is measured (default 50; 0: none)
              --read-pause-ms N       HTTP watchers pause N ms after each round of reads, so one read takes
                                      several events: less reader CPU on a small machine, at most N ms later
                                      (default 0)
              --burst N               creates in the burst, from 50 clients (default 1000)
              --burst-cap-seconds S   time cap of the burst's writes (default 60)
              --watch-timeout S       how long after the burst's last write the watches may take (default 20)
              --big-list N            pods in the big list (default 10000)
              --big-list-reps N       measured reads of the big list per reader (default 5)
              --servers LIST          kube4j,mock (default both)
              --phases all|floor|watch|list|crud (or a comma-separated list)
                                      floor: after the warm-up only the round trip of GET /version at each
                                      client count (what a request costs before the server does any work);
                                      watch: only the watch burst (no CRUD rows, no big list), to measure the
                                      fan-out alone; list: only the big list; crud: only the
                                      create/get/update/list rows (default all: every one of them)
              --clients LIST          client counts of the CRUD rows (default 1,50)
              --driver raw|jdk        how the CRUD, floor and burst clients send: raw (default) - each client thread
                                      on a kept-alive connection of its own, reading the answer itself; jdk - one
                                      shared JDK HttpClient (as before 2026-11-27; ~120 us of client CPU a request)
              --server-jvm OPTS       extra JVM options for each server's JVM, space-separated, after the heap
                                      options; {name} becomes the server's name (kube4j, mock), e.g.
                                      "-XX:+UseSerialGC -Xlog:gc:/tmp/{name}-gc.log" (default none)""";

    /** The options, or null after printing usage for --help. */
    static BenchOptions parse(String[] args) {
        int opsC1 = 5000;
        int opsC50 = 5000;
        double cap = 20;
        int warmupOps = 3000;
        int warmupClients = 8;
        int watchers = 1000;
        int watchProcs = 4;
        int watchWarmup = 50;
        int readPause = 0;
        int burst = 1000;
        double burstCap = 60;
        double watchTimeout = 20;
        int bigList = 10_000;
        int bigListReps = 5;
        List<String> servers = List.of("kube4j", "mock");
        String phases = "all";
        List<Integer> clients = List.of(1, 50);
        Api.Driver driver = Api.Driver.RAW;
        List<String> serverJvm = List.of();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value; try --help");
            }
            String v = args[++i];
            switch (a) {
                case "--ops-c1" -> opsC1 = positive(a, v);
                case "--ops" -> opsC50 = positive(a, v);
                case "--cap-seconds" -> cap = Double.parseDouble(v);
                case "--warmup-ops" -> warmupOps = Integer.parseInt(v);
                case "--warmup-clients" -> warmupClients = positive(a, v);
                case "--watchers" -> watchers = Integer.parseInt(v);
                case "--watch-procs" -> watchProcs = positive(a, v);
                case "--watch-warmup" -> watchWarmup = Integer.parseInt(v);
                case "--read-pause-ms" -> readPause = Integer.parseInt(v);
                case "--burst" -> burst = positive(a, v);
                case "--burst-cap-seconds" -> burstCap = Double.parseDouble(v);
                case "--watch-timeout" -> watchTimeout = Double.parseDouble(v);
                case "--big-list" -> bigList = positive(a, v);
                case "--big-list-reps" -> bigListReps = positive(a, v);
                case "--servers" -> servers = List.of(v.split(","));
                case "--phases" -> {
                    for (String phase : v.split(",")) {
                        if (!List.of("all", "floor", "watch", "list", "crud").contains(phase)) {
                            throw new IllegalArgumentException("--phases is all or a comma-separated list of floor,"
                                    + " watch, list and crud, not '" + v + "'");
                        }
                    }
                    phases = v;
                }
                case "--clients" -> clients = java.util.Arrays.stream(v.split(",")).map(c -> positive(a, c.trim()))
                        .toList();
                case "--driver" -> {
                    if (!v.equals("raw") && !v.equals("jdk")) {
                        throw new IllegalArgumentException("--driver is raw or jdk, not '" + v + "'");
                    }
                    driver = Api.Driver.valueOf(v.toUpperCase(java.util.Locale.ROOT));
                }
                case "--server-jvm" -> serverJvm = java.util.Arrays.stream(v.trim().split("\\s+"))
                        .filter(opt -> !opt.isEmpty()).toList();
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'; try --help");
            }
        }
        for (String s : servers) {
            if (!s.equals("kube4j") && !s.equals("mock")) {
                throw new IllegalArgumentException("unknown server '" + s + "' (kube4j, mock)");
            }
        }
        return new BenchOptions(opsC1, opsC50, cap, warmupOps, warmupClients, watchers, watchProcs, watchWarmup,
                readPause, burst,
                burstCap, watchTimeout, bigList, bigListReps, servers, phases, clients,
                driver, serverJvm);
    }

    /** Whether the run includes {@code phase} (floor, crud, list or watch). */
    boolean runs(String phase) {
        return phases.equals("all") || List.of(phases.split(",")).contains(phase);
    }

    int ops(int clients) {
        return clients == 1 ? opsC1 : opsC50;
    }

    private static int positive(String flag, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException(flag + " must be positive");
        }
        return n;
    }
}
