package io.kube4j.bench.podstartup;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * bench/podstartup: a single node - the API server in this JVM, the kubelet and kube4j-runtime each in a JVM of its
 * own - runs N busybox pods that sleep. It measures pod start-up latency (create request to Running and Ready in a
 * watch; the image is imported before, so no pull is counted) and then the steady-state CPU and RSS of the agent,
 * of the runtime and of the conmon monitors (one per container) with all the pods running.
 *
 * <pre>
 *   PodStartupBench --classpath CP [--pods 100] [--qps 5] [--warmup 3] [--settle 20] [--window 30] [--kubelet-jvm FLAGS]
 * </pre>
 */
public final class PodStartupBench {
    /**
     * The kubelet and the runtime run with the JVM options of the product's worker (bin/jvm/agent.options, which
     * bin/kube4j uses for {@code kube4j agent}), so that what is measured is what is deployed. In the product both run
     * in that one JVM (and inside {@code kube4j server}'s JVM on a server node); here each has its own, so that each
     * one's CPU and RSS can be told apart.
     */
    static final String AGENT_JVM_OPTIONS = "bin/jvm/agent.options";
    private static final String NODE = "bench-node";

    private PodStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        int pods = 100;
        double qps = 5;
        int warmup = 10;
        int settleSeconds = 20;
        int windowSeconds = 30;
        String kubeletJvm = null;
        Path keepLogs = null;
        String classpath = System.getProperty("java.class.path");
        Path repo = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--pods" -> pods = Integer.parseInt(value);
                case "--qps" -> qps = Double.parseDouble(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--settle" -> settleSeconds = Integer.parseInt(value);
                case "--window" -> windowSeconds = Integer.parseInt(value);
                case "--kubelet-jvm" -> kubeletJvm = value;
                case "--keep-logs" -> keepLogs = Path.of(value);
                case "--classpath" -> classpath = value;
                case "--repo" -> repo = Path.of(value);
                case "--help" -> {
                    System.out.println("usage: bench/podstartup [--pods N] [--qps R (0: all at once)] [--warmup N] [--settle S] [--window S]"
                            + " [--kubelet-jvm FLAGS] [--keep-logs DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
            i++;
        }
        String agentJvm = jvmOptions(repo.resolve(AGENT_JVM_OPTIONS));
        try {
            new Run(repo, classpath, pods, qps, warmup, settleSeconds, windowSeconds, kubeletJvm == null ? agentJvm : kubeletJvm, agentJvm,
                    keepLogs).execute();
        } catch (Exception | Error e) {
            // the API server's threads would keep this JVM, and the e2e lock bench/podstartup runs under, alive
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The flags in a JVM options file: its lines without the '#' comment lines, joined. */
    static String jvmOptions(Path file) throws IOException {
        return String.join(" ", Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList());
    }

    /** One run, with everything it started, so that clean-up can undo it. */
    private static final class Run {
        final Path repo;
        final String classpath;
        final int pods;
        final double qps;
        final int warmup;
        final int settleSeconds;
        final int windowSeconds;
        final String kubeletJvm;
        final String runtimeJvm;
        final Path keepLogs;
        final String bridge = "k4jp" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        Path base;
        Store store;
        ApiServer api;
        ChildJvm runtime;
        ChildJvm kubelet;
        KubernetesClient client;
        /** CPU seconds of the kubelet and of the runtime while the pods started, and the wall seconds it took. */
        double[] startCpu;

        Run(Path repo, String classpath, int pods, double qps, int warmup, int settleSeconds, int windowSeconds, String kubeletJvm,
            String runtimeJvm, Path keepLogs) {
            this.runtimeJvm = runtimeJvm;
            this.keepLogs = keepLogs;
            this.repo = repo;
            this.classpath = classpath;
            this.pods = pods;
            this.qps = qps;
            this.warmup = warmup;
            this.settleSeconds = settleSeconds;
            this.windowSeconds = windowSeconds;
            this.kubeletJvm = kubeletJvm;
        }

        void execute() throws Exception {
            base = Files.createTempDirectory("kube4j-bench-podstartup");
            Thread cleanup = new Thread(this::cleanUp, "bench-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                startNode();
                StartupWatch watch = new StartupWatch();
                try (Watch ignored = client.pods().inNamespace("default").watch(watch)) {
                    System.err.println("warm-up: " + warmup + " pods ...");
                    for (int i = 0; i < warmup; i++) {
                        String name = "warmup-" + i;
                        create(watch, name);
                        awaitReady(watch, List.of(name), 120);
                        client.pods().inNamespace("default").withName(name).withGracePeriod(0).delete();
                    }
                    System.err.println("creating " + pods + " pods" + (qps > 0 ? " at " + qps + "/s" : " at once") + " ...");
                    List<String> names = new ArrayList<>();
                    double kubeletCpu0 = ProcessUsage.cpuSeconds(kubelet.pid());
                    double runtimeCpu0 = ProcessUsage.cpuSeconds(runtime.pid());
                    long start = System.nanoTime();
                    for (int i = 0; i < pods; i++) {
                        if (qps > 0) {
                            long due = start + (long) (i / qps * 1e9);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                        String name = "pod-" + i;
                        names.add(name);
                        create(watch, name);
                    }
                    awaitReady(watch, names, 600);
                    startCpu = new double[] {ProcessUsage.cpuSeconds(kubelet.pid()) - kubeletCpu0,
                            ProcessUsage.cpuSeconds(runtime.pid()) - runtimeCpu0, (System.nanoTime() - start) / 1e9};
                    long[] latencies = names.stream().mapToLong(watch::latency).sorted().toArray();
                    System.err.println("all " + pods + " pods Running and Ready; steady state: settling " + settleSeconds + " s, measuring "
                            + windowSeconds + " s ...");
                    TimeUnit.SECONDS.sleep(settleSeconds);
                    Usage usage = measureSteadyState();
                    print(latencies, usage);
                    printSlowest(names, watch);
                }
            } finally {
                cleanUp();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }

        void startNode() throws Exception {
            Path images = base.resolve("images");
            Process build = new ProcessBuilder(repo.resolve("bin/build-busybox-image").toString(), images.toString())
                    .redirectErrorStream(true).redirectOutput(base.resolve("image-build.log").toFile()).start();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("bin/build-busybox-image failed; see " + base.resolve("image-build.log"));
            }
            store = EmbeddedStore.open(base.resolve("store"));
            api = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", freePort()), base));
            String apiUrl = "http://127.0.0.1:" + api.port();
            client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(apiUrl).build()).build();
            Path socket = base.resolve("cri.sock");
            runtime = ChildJvm.start("runtime", runtimeJvm, classpath, base.resolve("runtime.log"), "io.kube4j.runtime.RuntimeServer",
                    List.of("--root", base.resolve("runtime").toString(), "--socket", socket.toString(), "--images", images.toString(),
                            "--pod-cidr", "10.209." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24", "--bridge", bridge,
                            "--ip-masq", "false"));
            kubelet = ChildJvm.start("kubelet", kubeletJvm, classpath, base.resolve("kubelet.log"), KubeletMain.class.getName(),
                    List.of("--api", apiUrl, "--node", NODE, "--socket", socket.toString(), "--root", base.resolve("kubelet").toString(),
                            "--logs", base.resolve("pod-logs").toString(), "--kubepods", "kubepods-" + bridge));
            Instant deadline = Instant.now().plusSeconds(120);
            while (!nodeReady()) {
                if (Instant.now().isAfter(deadline) || !kubelet.alive() || !runtime.alive()) {
                    throw new IllegalStateException("the node did not become Ready; see " + base.resolve("kubelet.log") + " and "
                            + base.resolve("runtime.log"));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }

        boolean nodeReady() {
            try {
                var node = client.nodes().withName(NODE).get();
                return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                        && node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            } catch (RuntimeException e) {
                return false;
            }
        }

        void create(StartupWatch watch, String name) {
            Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                    .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                    .addNewContainer().withName("sleep").withImage("busybox").withImagePullPolicy("IfNotPresent")
                    .withCommand("sleep", "36000").endContainer().endSpec().build();
            watch.creating(name);
            client.pods().inNamespace("default").resource(pod).create();
        }

        void awaitReady(StartupWatch watch, List<String> names, int seconds) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(seconds);
            while (!names.stream().allMatch(watch::isReady)) {
                if (Instant.now().isAfter(deadline)) {
                    long missing = names.stream().filter(n -> !watch.isReady(n)).count();
                    throw new IllegalStateException(missing + " pods not Running and Ready after " + seconds + " s; see "
                            + base.resolve("kubelet.log"));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        record Usage(double kubeletCpu, long kubeletRssKb, double runtimeCpu, long runtimeRssKb, int conmons, double conmonCpu,
                     long conmonRssKb, long kubeletPeakKb) {
        }

        Usage measureSteadyState() throws InterruptedException {
            List<Long> conmons = ProcessUsage.find("conmon", base.toString());
            double k0 = ProcessUsage.cpuSeconds(kubelet.pid());
            double r0 = ProcessUsage.cpuSeconds(runtime.pid());
            double c0 = conmons.stream().mapToDouble(ProcessUsage::cpuSeconds).sum();
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(windowSeconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double k1 = ProcessUsage.cpuSeconds(kubelet.pid());
            double r1 = ProcessUsage.cpuSeconds(runtime.pid());
            double c1 = conmons.stream().mapToDouble(ProcessUsage::cpuSeconds).sum();
            return new Usage((k1 - k0) / elapsed * 100, ProcessUsage.rssKb(kubelet.pid()), (r1 - r0) / elapsed * 100,
                    ProcessUsage.rssKb(runtime.pid()), conmons.size(), (c1 - c0) / elapsed * 100,
                    conmons.stream().mapToLong(ProcessUsage::rssKb).sum(), peakKb(kubelet.pid()));
        }

        static long peakKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }

        void print(long[] latencies, Usage u) throws IOException {
            System.out.println("bench/podstartup: " + pods + " busybox pods (sleep) on one node, created "
                    + (qps > 0 ? "at " + qps + " pods/s" : "all at once") + " after " + warmup + " warm-up pods; image imported beforehand (no pull)");
            System.out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            System.out.println("machine: " + machine());
            System.out.println("setup:   API server (embedded store) in the driver JVM; kubelet JVM " + kubeletJvm + "; kube4j-runtime JVM "
                    + (runtimeJvm.equals(kubeletJvm) ? "the same" : runtimeJvm) + " (" + AGENT_JVM_OPTIONS
                    + " unless --kubelet-jvm), runc + conmon + CNI bridge; MALLOC_ARENA_MAX=2 for both, as bin/kube4j");
            System.out.println();
            System.out.println("pod start-up latency, create request -> Running and Ready seen in a watch (ms):");
            System.out.printf(Locale.ROOT, "  p50 %.0f   p90 %.0f   p99 %.0f   max %.0f   (aim: p99 < 1000; upstream SLO p99 <= 5000)%n",
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "  start phase: %.1f s wall; CPU used: kubelet %.1f s (%.0f ms per pod), runtime %.1f s (%.0f ms per pod)%n",
                    startCpu[2], startCpu[0], startCpu[0] * 1000 / pods, startCpu[1], startCpu[1] * 1000 / pods);
            System.out.println();
            System.out.println("steady state with " + pods + " pods running (" + windowSeconds + " s window after " + settleSeconds + " s):");
            System.out.printf(Locale.ROOT, "  %-28s %8s %10s%n", "process", "CPU %", "RSS MB");
            System.out.printf(Locale.ROOT, "  %-28s %8.1f %10.1f   (peak RSS %.1f MB; aim < 150 MB)%n", "kubelet (agent)", u.kubeletCpu(),
                    u.kubeletRssKb() / 1024.0, u.kubeletPeakKb() / 1024.0);
            System.out.printf(Locale.ROOT, "  %-28s %8.1f %10.1f%n", "kube4j-runtime", u.runtimeCpu(), u.runtimeRssKb() / 1024.0);
            System.out.printf(Locale.ROOT, "  %-28s %8.1f %10.1f   (%.2f MB each)%n", "conmon x " + u.conmons(), u.conmonCpu(),
                    u.conmonRssKb() / 1024.0, u.conmons() == 0 ? 0 : u.conmonRssKb() / 1024.0 / u.conmons());
            System.out.println("  (CPU % of one core; RSS counts shared pages in each process)");
        }

        /**
         * The kubelet's step timings (its "started N ms after it was seen (...)" log line) of the fastest and the slowest
         * pods: whether the tail waited in a step that other pods' starts hold up, or did slower work.
         */
        void printSlowest(List<String> names, StartupWatch watch) throws IOException {
            java.util.Map<String, String> traces = new java.util.HashMap<>();
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("pod default/(\\S+) started (.*)$");
            for (String l : Files.readAllLines(base.resolve("kubelet.log"))) {
                java.util.regex.Matcher m = line.matcher(l);
                if (m.find()) {
                    traces.put(m.group(1), m.group(2));
                }
            }
            List<String> byLatency = names.stream().sorted(java.util.Comparator.comparingLong(watch::latency)).toList();
            System.out.println();
            System.out.println("kubelet step times (ms) of the 3 fastest and the 5 slowest pods (create -> Ready in the watch first):");
            List<String> shown = new ArrayList<>(byLatency.subList(0, Math.min(3, byLatency.size())));
            shown.addAll(byLatency.subList(Math.max(3, byLatency.size() - 5), byLatency.size()));
            for (String name : shown) {
                System.out.printf(Locale.ROOT, "  %-8s %5d  %s%n", name, watch.latency(name) / 1_000_000, traces.getOrDefault(name, "(no trace)"));
            }
        }

        static double pct(long[] sorted, double p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        static String machine() throws IOException {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown cpu");
            return Runtime.getRuntime().availableProcessors() + " cpus (" + cpu + "), Linux " + System.getProperty("os.version")
                    + ", Java " + System.getProperty("java.version") + ", load average " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0]
                    + " (shared machine)";
        }

        /** Removes the pods through the kubelet, then stops everything and leaves no bridge, cgroup, mount or directory. */
        synchronized void cleanUp() {
            if (base == null) {
                return;
            }
            try {
                if (client != null && kubelet != null && kubelet.alive()) {
                    client.pods().inNamespace("default").withGracePeriod(0).delete();
                    Instant deadline = Instant.now().plusSeconds(120);
                    while (!ProcessUsage.find("conmon", base.toString()).isEmpty() && Instant.now().isBefore(deadline)) {
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                }
            } catch (RuntimeException | InterruptedException e) {
                System.err.println("clean-up: " + e);
            }
            if (kubelet != null) {
                kubelet.close();
            }
            if (runtime != null) {
                runtime.close();
            }
            for (Long pid : ProcessUsage.find("conmon", base.toString())) {
                quietly("kill", "-9", pid.toString());
            }
            quietly("sh", "-c", "runc --root " + base.resolve("runtime") + "/runc list -q 2>/dev/null | xargs -r -n1 runc --root "
                    + base.resolve("runtime") + "/runc delete --force");
            if (client != null) {
                client.close();
            }
            if (api != null) {
                api.close();
            }
            if (store != null) {
                store.close();
            }
            if (keepLogs != null) {
                quietly("mkdir", "-p", keepLogs.toString());
                quietly("cp", base.resolve("kubelet.log").toString(), base.resolve("runtime.log").toString(), keepLogs.toString());
            }
            quietly("ip", "link", "del", bridge);
            quietly("sh", "-c", "for d in /sys/fs/cgroup/*/kubepods-" + bridge + "; do [ -d \"$d\" ] && find \"$d\" -depth -type d "
                    + "-exec rmdir {} \\; ; done; true");
            quietly("sh", "-c", "grep -o ' " + base + "/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l; true");
            quietly("rm", "-rf", base.toString());
            base = null;
        }

        static void quietly(String... command) {
            try {
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(60, TimeUnit.SECONDS);
            } catch (IOException e) {
                // nothing to clean
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

}
