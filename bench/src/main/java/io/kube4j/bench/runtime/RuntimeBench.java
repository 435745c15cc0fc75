package io.kube4j.bench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * bench/runtime: pod start latency and memory of kube4j-runtime and containerd 1.6 in one run,
 * both driven through CRI over their unix sockets on this machine.
 *
 * <pre>
 *   RuntimeBench --runtime-classpath CP [--pods N] [--warmup N] [--runtimes kube4j,containerd]
 * </pre>
 */
public final class RuntimeBench {
    private RuntimeBench() {
    }

    public static void main(String[] args) throws Exception {
        int pods = 100;
        int warmup = 3;
        String classpath = null;
        List<String> runtimes = List.of("kube4j", "containerd");
        Path repo = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--pods" -> pods = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--runtime-classpath" -> classpath = value;
                case "--runtimes" -> runtimes = List.of(value.split(","));
                case "--repo" -> repo = Path.of(value);
                case "--help" -> {
                    System.out.println("usage: bench/runtime [--pods N] [--warmup N] [--runtimes kube4j,containerd]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
            i++;
        }
        if (classpath == null && runtimes.contains("kube4j")) {
            throw new IllegalArgumentException("--runtime-classpath is required to start kube4j-runtime (bench/runtime passes it)");
        }
        Path buildImage = repo.resolve("bin/build-busybox-image");
        Path images = Files.createTempDirectory("kube4j-bench-images");
        Commands.run(buildImage.toString(), images.toString());
        Path logs = Files.createTempDirectory("kube4j-bench-logs");
        PodStartRun kube = null;
        PodStartRun containerd = null;
        String kubeSetup = "";
        String containerdSetup = "";
        try {
            if (runtimes.contains("kube4j")) {
                int subnet = ThreadLocalRandom.current().nextInt(1, 250);
                try (KubeRuntimeProcess runtime = KubeRuntimeProcess.start(Files.createTempDirectory("kube4j-bench-runtime"), images,
                        classpath, "10.207." + subnet + ".0/24", bridgeName("k4jb"))) {
                    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close));
                    kubeSetup = runtime.setup();
                    System.err.println("measuring kube4j-runtime ...");
                    kube = PodStartRun.measure(runtime, pods, warmup, logs);
                }
            }
            if (runtimes.contains("containerd")) {
                int subnet = ThreadLocalRandom.current().nextInt(1, 250);
                try (ContainerdProcess runtime = ContainerdProcess.start(Files.createTempDirectory("kube4j-bench-containerd"), buildImage,
                        "10.208." + subnet + ".", bridgeName("k4jc"))) {
                    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close));
                    waitForSocket(runtime.socket());
                    runtime.importImages(images.resolve("busybox.tar"));
                    containerdSetup = runtime.setup();
                    System.err.println("measuring containerd ...");
                    containerd = PodStartRun.measure(runtime, pods, warmup, logs);
                }
            }
        } finally {
            Commands.quietly("rm", "-rf", images.toString(), logs.toString());
        }
        print(pods, warmup, kube, kubeSetup, containerd, containerdSetup);
    }

    private static String bridgeName(String prefix) {
        return prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    private static void waitForSocket(Path socket) throws InterruptedException {
        for (int i = 0; i < 1200 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
    }

    private static void print(int pods, int warmup, PodStartRun kube, String kubeSetup, PodStartRun containerd, String containerdSetup)
            throws IOException {
        System.out.println("bench/runtime: pod start through CRI, busybox `sleep 3600`, " + pods + " pods one after another ("
                + warmup + " warm-up pods not counted), each stopped and removed before the next");
        System.out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println("machine: " + machine());
        if (kube != null) {
            System.out.println("kube4j:     " + kubeSetup);
        }
        if (containerd != null) {
            System.out.println("containerd: " + containerdSetup);
        }
        System.out.println();
        System.out.printf("%-22s %12s %12s %14s %14s %12s %12s%n", "step (ms)", "kube4j p50", "kube4j p99",
                "containerd p50", "containerd p99", "ratio p50", "ratio p99");
        row("RunPodSandbox", kube == null ? null : kube.sandbox, containerd == null ? null : containerd.sandbox);
        row("CreateContainer", kube == null ? null : kube.create, containerd == null ? null : containerd.create);
        row("StartContainer", kube == null ? null : kube.start, containerd == null ? null : containerd.start);
        row("pod start (all three)", kube == null ? null : kube.total, containerd == null ? null : containerd.total);
        System.out.println("(ratio = containerd / kube4j: above 1 means kube4j is faster)");
        System.out.println();
        System.out.printf("%-22s %12s %14s %12s%n", "memory (MB)", "kube4j", "containerd", "ratio");
        memory("RSS after the run", kube == null ? -1 : kube.rssKb, containerd == null ? -1 : containerd.rssKb);
        memory("peak RSS (VmHWM)", kube == null ? -1 : kube.peakRssKb, containerd == null ? -1 : containerd.peakRssKb);
        if (kube != null) {
            System.out.printf("%-22s %12.1f %14s%n", "heap used after GC", kube.heapUsedBytes / 1048576.0, "-");
        }
        System.out.println("(daemon process only: conmon per kube4j container and the shim per containerd pod are not counted)");
    }

    private static void row(String name, Latencies kube, Latencies containerd) {
        double k50 = kube == null ? Double.NaN : kube.percentileMillis(50);
        double k99 = kube == null ? Double.NaN : kube.percentileMillis(99);
        double c50 = containerd == null ? Double.NaN : containerd.percentileMillis(50);
        double c99 = containerd == null ? Double.NaN : containerd.percentileMillis(99);
        System.out.printf(Locale.ROOT, "%-22s %12.1f %12.1f %14.1f %14.1f %11.2fx %11.2fx%n", name, k50, k99, c50, c99, c50 / k50, c99 / k99);
    }

    private static void memory(String name, long kubeKb, long containerdKb) {
        System.out.printf(Locale.ROOT, "%-22s %12.1f %14.1f %11.2fx%n", name, kubeKb / 1024.0, containerdKb / 1024.0,
                (double) containerdKb / kubeKb);
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown cpu");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("\\D+", "")).orElse("0");
        return Runtime.getRuntime().availableProcessors() + " cpus (" + cpu + "), " + Long.parseLong(mem) / 1024 / 1024 + " GiB, Linux "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + ", "
                + Commands.run("runc", "--version").lines().findFirst().orElse("runc ?") + ", load average "
                + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
