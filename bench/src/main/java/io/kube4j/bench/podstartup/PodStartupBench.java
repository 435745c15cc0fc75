package io.kube4j.bench.podstartup;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.kube4j.host.cgroup.Cgroups;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/podstartup: one worker node as the product runs it - {@code kube4j agent} (kubelet, kube4j-runtime and the
 * service proxy in one JVM, started through bin/kube4j with bin/jvm/agent.options) joined with a token to a
 * {@code kube4j server --disable-agent} - runs N busybox pods that sleep. It measures pod start-up latency (create
 * request to Running and Ready in a watch; the image is imported at the agent's start, so no pull is counted) and then
 * the steady-state CPU and RSS of the agent's JVM (with a breakdown from smaps) and of the conmon monitors (one per
 * container) with all the pods running. {@code --diagnose} starts the agent with Native Memory Tracking and prints
 * its summary and the agent's threads (NMT costs memory of its own: its RSS is not the figure).
 * <p>
 * The agent programs the host's network (bridge kube4j0, nftables table ip kube4j, pod routes): run it under
 * {@code flock /tmp/kube4j-e2e.lock}, alone with respect to other such tests.
 *
 * <pre>
 *   PodStartupBench --repo DIR [--pods 100] [--qps 5] [--warmup 10] [--settle 20] [--window 30] [--agent-jvm FLAGS] [--diagnose]
 * </pre>
 */
public final class PodStartupBench {
    /** bin/kube4j starts {@code agent} with these options; the bench starts the agent through bin/kube4j. */
    static final String AGENT_JVM_OPTIONS = "bin/jvm/agent.options";
    private static final String NODE = "bench-node";

    private PodStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--pods" -> o.pods = Integer.parseInt(value);
                case "--qps" -> o.qps = Double.parseDouble(value);
                case "--warmup" -> o.warmup = Integer.parseInt(value);
                case "--settle" -> o.settleSeconds = Integer.parseInt(value);
                case "--window" -> o.windowSeconds = Integer.parseInt(value);
                case "--late" -> o.lateSeconds = Integer.parseInt(value);
                case "--agent-jvm" -> o.agentJvm = value;
                case "--keep-logs" -> o.keepLogs = Path.of(value);
                case "--repo" -> o.repo = Path.of(value);
                case "--jar" -> o.jar = Path.of(value);
                case "--diagnose" -> {
                    o.diagnose = true;
                    continue;
                }
                case "--help" -> {
                    System.out.println("usage: bench/podstartup [--pods N] [--qps R (0: all at once)] [--warmup N] [--settle S] [--window S] [--late S]"
                            + " [--agent-jvm FLAGS (instead of " + AGENT_JVM_OPTIONS + ")] [--jar PATH (instead of a copy of kube4j-cli/target/kube4j.jar)] [--diagnose (NMT, threads)] [--keep-logs DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
            i++;
        }
        if (o.agentJvm == null) {
            o.agentJvm = jvmOptions(o.repo.resolve(AGENT_JVM_OPTIONS));
        }
        try {
            new Run(o).execute();
        } catch (Exception | Error e) {
            // the client's threads would keep this JVM, and the e2e lock bench/podstartup runs under, alive
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The flags in a JVM options file: its lines without the '#' comment lines, joined (as bin/kube4j reads it). */
    static String jvmOptions(Path file) throws IOException {
        return String.join(" ", Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList());
    }

    static final class Options {
        int pods = 100;
        double qps = 5;
        int warmup = 10;
        int settleSeconds = 20;
        int windowSeconds = 30;
        /**
         * A last RSS sample this long after the window: the start-up's idle pool threads (cached pools keep a thread
         * 60 s) are gone by then, and the breakdown is taken then.
         */
        int lateSeconds = 60;
        String agentJvm;
        boolean diagnose;
        Path keepLogs;
        /** A jar at a fixed path (e.g. for an AppCDS archive, which names its class path); null: a copy per run. */
        Path jar;
        Path repo = Path.of("").toAbsolutePath();
    }

    /** One run, with everything it started, so that clean-up can undo it. */
    private static final class Run {
        final Options o;
        /** The pods' cgroups go under a cgroup of this run's own, so that clean-up finds exactly them. */
        final String cgroupRoot = "k4jbench" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        Path base;
        /** KUBE4J_JAR for bin/kube4j: this run's copy of the shaded jar. */
        Map<String, String> launcher;
        Kube4jProcess server;
        Kube4jProcess agent;
        KubernetesClient client;
        /** CPU seconds of the agent while the pods started, and the wall seconds it took. */
        double[] startCpu;

        Run(Options o) {
            this.o = o;
        }

        Path agentDir() {
            return base.resolve("agent");
        }

        void execute() throws Exception {
            base = Files.createTempDirectory("kube4j-bench-podstartup");
            Thread cleanup = new Thread(this::cleanUp, "bench-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                startNode();
                StartupWatch watch = new StartupWatch();
                try (Watch ignored = client.pods().inNamespace("default").watch(watch)) {
                    System.err.println("warm-up: " + o.warmup + " pods ...");
                    for (int i = 0; i < o.warmup; i++) {
                        String name = "warmup-" + i;
                        create(watch, name);
                        awaitReady(watch, List.of(name), 120);
                        client.pods().inNamespace("default").withName(name).withGracePeriod(0).delete();
                    }
                    System.err.println("creating " + o.pods + " pods" + (o.qps > 0 ? " at " + o.qps + "/s" : " at once") + " ...");
                    List<String> names = new ArrayList<>();
                    double cpu0 = ProcessUsage.cpuSeconds(agent.pid());
                    long start = System.nanoTime();
                    for (int i = 0; i < o.pods; i++) {
                        if (o.qps > 0) {
                            long due = start + (long) (i / o.qps * 1e9);
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
                    startCpu = new double[] {ProcessUsage.cpuSeconds(agent.pid()) - cpu0, (System.nanoTime() - start) / 1e9};
                    long[] latencies = names.stream().mapToLong(watch::latency).sorted().toArray();
                    System.err.println("all " + o.pods + " pods Running and Ready; steady state: settling " + o.settleSeconds
                            + " s, measuring " + o.windowSeconds + " s ...");
                    TimeUnit.SECONDS.sleep(o.settleSeconds);
                    Usage usage = measureSteadyState();
                    print(latencies, usage);
                    if (o.lateSeconds > 0) {
                        TimeUnit.SECONDS.sleep(o.lateSeconds);
                        System.out.printf(Locale.ROOT, "  %-28s %8s %10.1f   (%d s after the window, %d threads)%n", "kube4j agent, later", "",
                                ProcessUsage.rssKb(agent.pid()) / 1024.0, o.lateSeconds, MemoryBreakdown.threads(agent.pid()));
                    }
                    printBreakdown();
                    printSlowest(names, watch);
                }
            } finally {
                cleanUp();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }

        void startNode() throws Exception {
            Path serverDir = base.resolve("server");
            Files.createDirectories(serverDir);
            Files.createDirectories(agentDir().resolve("images"));
            // the agent imports DIR/images at start, as bin/kube4j up gives a node its offline busybox image
            Process build = new ProcessBuilder(o.repo.resolve("bin/build-busybox-image").toString(), agentDir().resolve("images").toString())
                    .redirectErrorStream(true).redirectOutput(base.resolve("image-build.log").toFile()).start();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("bin/build-busybox-image failed; see " + base.resolve("image-build.log"));
            }
            launcher = Map.of("KUBE4J_JAR", (o.jar != null ? o.jar : Kube4jProcess.copyJar(o.repo, base)).toString());
            int port = freePort();
            server = Kube4jProcess.start(o.repo, "server", launcher, base.resolve("server.log"),
                    List.of("server", "--disable-agent", "--data-dir", serverDir.toString(), "--port", Integer.toString(port)));
            Path admin = serverDir.resolve("admin.kubeconfig");
            Instant deadline = Instant.now().plusSeconds(120);
            while (client == null) {
                if (Instant.now().isAfter(deadline) || !server.alive()) {
                    throw new IllegalStateException("kube4j server did not start; see " + base.resolve("server.log"));
                }
                if (Files.exists(admin)) {
                    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(admin))).build();
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            while (!apiReady()) {
                if (Instant.now().isAfter(deadline) || !server.alive()) {
                    throw new IllegalStateException("kube4j server did not become ready; see " + base.resolve("server.log"));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            String token = Kube4jProcess.run(o.repo, launcher, List.of("token", "create", "--data-dir", serverDir.toString())).strip();
            Map<String, String> env = new HashMap<>(launcher);
            if (o.diagnose || !o.agentJvm.equals(jvmOptions(o.repo.resolve(AGENT_JVM_OPTIONS)))) {
                env.put("KUBE4J_JAVA_OPTS", o.agentJvm + (o.diagnose ? " -XX:NativeMemoryTracking=summary" : ""));
            }
            agent = Kube4jProcess.start(o.repo, "agent", env, base.resolve("agent.log"),
                    List.of("agent", "--server", "https://127.0.0.1:" + port, "--token", token, "--data-dir", agentDir().toString(),
                            "--node-name", NODE, "--kubelet-port", Integer.toString(freePort()), "--cgroup-root", "/" + cgroupRoot));
            deadline = Instant.now().plusSeconds(180);
            while (!nodeReady()) {
                if (Instant.now().isAfter(deadline) || !agent.alive() || !server.alive()) {
                    throw new IllegalStateException("the node did not become Ready; see " + base.resolve("agent.log") + " and "
                            + base.resolve("server.log"));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            // the default ServiceAccount is what a pod without one is admitted with
            deadline = Instant.now().plusSeconds(60);
            while (client.serviceAccounts().inNamespace("default").withName("default").get() == null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("no default ServiceAccount; see " + base.resolve("server.log"));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }

        boolean apiReady() {
            try {
                return "ok".equals(client.raw(client.getMasterUrl() + "readyz"));
            } catch (RuntimeException e) {
                return false;
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
                if (Instant.now().isAfter(deadline) || !agent.alive()) {
                    long missing = names.stream().filter(n -> !watch.isReady(n)).count();
                    throw new IllegalStateException(missing + " pods not Running and Ready after " + seconds + " s; see "
                            + base.resolve("agent.log"));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        record Usage(double agentCpu, long agentRssKb, long agentPeakKb, long threads, int conmons, double conmonCpu, long conmonRssKb) {
        }

        Usage measureSteadyState() throws InterruptedException {
            List<Long> conmons = ProcessUsage.find("conmon", base.toString());
            double a0 = ProcessUsage.cpuSeconds(agent.pid());
            double c0 = conmons.stream().mapToDouble(ProcessUsage::cpuSeconds).sum();
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(o.windowSeconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double a1 = ProcessUsage.cpuSeconds(agent.pid());
            double c1 = conmons.stream().mapToDouble(ProcessUsage::cpuSeconds).sum();
            return new Usage((a1 - a0) / elapsed * 100, ProcessUsage.rssKb(agent.pid()), ProcessUsage.peakKb(agent.pid()),
                    MemoryBreakdown.threads(agent.pid()), conmons.size(), (c1 - c0) / elapsed * 100,
                    conmons.stream().mapToLong(ProcessUsage::rssKb).sum());
        }

        void print(long[] latencies, Usage u) throws IOException {
            System.out.println("bench/podstartup: " + o.pods + " busybox pods (sleep) on one node, created "
                    + (o.qps > 0 ? "at " + o.qps + " pods/s" : "all at once") + " after " + o.warmup
                    + " warm-up pods; image imported at the agent's start (no pull)");
            System.out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            System.out.println("machine: " + machine());
            System.out.println("setup:   kube4j server --disable-agent (its own JVM) and kube4j agent (kubelet + runtime + proxy in one JVM) "
                    + "through bin/kube4j, runc + conmon + CNI bridge");
            System.out.println("agent JVM: " + o.agentJvm + (o.diagnose ? " -XX:NativeMemoryTracking=summary (diagnostic run)" : "")
                    + ", MALLOC_ARENA_MAX=" + System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2 (bin/kube4j)"));
            System.out.println("agent class-data archive: " + MemoryBreakdown.cdsArchive(agent.pid()));
            System.out.println();
            System.out.println("pod start-up latency, create request -> Running and Ready seen in a watch (ms):");
            System.out.printf(Locale.ROOT, "  p50 %.0f   p90 %.0f   p99 %.0f   max %.0f   (aim: p99 < 1000; upstream SLO p99 <= 5000)%n",
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "  start phase: %.1f s wall; agent CPU %.1f s (%.0f ms per pod)%n",
                    startCpu[1], startCpu[0], startCpu[0] * 1000 / o.pods);
            System.out.println();
            System.out.println("steady state with " + o.pods + " pods running (" + o.windowSeconds + " s window after " + o.settleSeconds + " s):");
            System.out.printf(Locale.ROOT, "  %-28s %8s %10s%n", "process", "CPU %", "RSS MB");
            System.out.printf(Locale.ROOT, "  %-28s %8.1f %10.1f   (peak RSS %.1f MB, %d threads; aim < 150 MB)%n", "kube4j agent (one JVM)",
                    u.agentCpu(), u.agentRssKb() / 1024.0, u.agentPeakKb() / 1024.0, u.threads());
            System.out.printf(Locale.ROOT, "  %-28s %8.1f %10.1f   (%.2f MB each)%n", "conmon x " + u.conmons(), u.conmonCpu(),
                    u.conmonRssKb() / 1024.0, u.conmons() == 0 ? 0 : u.conmonRssKb() / 1024.0 / u.conmons());
            System.out.println("  (CPU % of one core; RSS counts shared pages in each process)");
        }

        /** The agent's RSS split: smaps_rollup, the largest mappings, and with --diagnose NMT and threads. */
        void printBreakdown() {
            long pid = agent.pid();
            System.out.println();
            System.out.println("agent RSS breakdown (MB), /proc/" + pid + "/smaps_rollup:");
            Map<String, Long> rollup = MemoryBreakdown.rollup(pid);
            StringBuilder line = new StringBuilder(" ");
            for (String field : List.of("Rss", "Pss", "Pss_Anon", "Pss_File", "Anonymous", "Shared_Clean", "Private_Clean", "Private_Dirty", "Swap")) {
                if (rollup.containsKey(field)) {
                    line.append(' ').append(field).append(' ').append(MemoryBreakdown.mb(rollup.get(field)));
                }
            }
            System.out.println(line);
            System.out.println("largest mappings (smaps Rss, MB):");
            for (Map.Entry<String, Long> e : MemoryBreakdown.byMapping(pid).stream().limit(8).toList()) {
                System.out.printf(Locale.ROOT, "  %7s  %s%n", MemoryBreakdown.mb(e.getValue()), e.getKey());
            }
            if (!o.diagnose) {
                return;
            }
            String nmt = MemoryBreakdown.jcmd(pid, "VM.native_memory", "summary");
            System.out.println("NMT committed (MB; NMT's own tracking included):");
            MemoryBreakdown.nmtCommittedMb(nmt).forEach((k, v) -> System.out.printf(Locale.ROOT, "  %7.1f  %s%n", v, k));
            System.out.println("threads by name:");
            for (Map.Entry<String, Integer> e : MemoryBreakdown.threadGroups(pid)) {
                System.out.printf(Locale.ROOT, "  %4d  %s%n", e.getValue(), e.getKey());
            }
            try {
                Files.writeString(base.resolve("nmt.txt"), nmt);
            } catch (IOException e) {
                // kept only for --keep-logs
            }
        }

        /**
         * The kubelet's step timings (its "started N ms after it was seen (...)" log line) of the fastest and the slowest
         * pods: whether the tail waited in a step that other pods' starts hold up, or did slower work.
         */
        void printSlowest(List<String> names, StartupWatch watch) throws IOException {
            Map<String, String> traces = new HashMap<>();
            Pattern line = Pattern.compile("pod default/(\\S+) started (.*)$");
            for (String l : Files.readAllLines(base.resolve("agent.log"))) {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    traces.put(m.group(1), m.group(2));
                }
            }
            List<String> byLatency = names.stream().sorted(Comparator.comparingLong(watch::latency)).toList();
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

        /**
         * Removes the pods through the kubelet, stops the agent (its proxy removes the nftables table) and the server,
         * then removes what a killed agent could leave: containers, conmons, mounts, the bridge and its veths, the
         * run's cgroups and directory.
         */
        synchronized void cleanUp() {
            if (base == null) {
                return;
            }
            try {
                if (client != null && agent != null && agent.alive()) {
                    client.pods().inNamespace("default").withGracePeriod(0).delete();
                    Instant deadline = Instant.now().plusSeconds(120);
                    while (!ProcessUsage.find("conmon", base.toString()).isEmpty() && Instant.now().isBefore(deadline)) {
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                }
            } catch (RuntimeException | InterruptedException e) {
                System.err.println("clean-up: " + e);
            }
            if (agent != null) {
                agent.close();
            }
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
            for (Long pid : ProcessUsage.find("conmon", base.toString())) {
                quietly("kill", "-9", pid.toString());
            }
            Path runc = agentDir().resolve("runtime").resolve("runc");
            quietly("sh", "-c", "runc --root " + runc + " list -q 2>/dev/null | xargs -r -n1 runc --root " + runc + " delete --force");
            if (o.keepLogs != null) {
                quietly("mkdir", "-p", o.keepLogs.toString());
                quietly("sh", "-c", "cp " + base + "/*.log " + base + "/nmt.txt " + o.keepLogs + "/ 2>/dev/null; true");
            }
            quietly("sh", "-c", "grep -o ' " + base + "/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l; true");
            // the pods' veths stay on the bridge if the agent was killed; the next node's IPAM would reuse their addresses
            quietly("sh", "-c", "ip -o link show master kube4j0 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 "
                    + "| xargs -r -n1 ip link del; ip link del kube4j0 2>/dev/null; true");
            // in every hierarchy, wherever the host mounts it (runc creates the pods' parents in all)
            Cgroups.ofThisHost().remove(cgroupRoot);
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
