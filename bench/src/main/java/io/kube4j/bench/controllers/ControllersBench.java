package io.kube4j.bench.controllers;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.bench.EtcdLauncher;
import io.kube4j.store.embedded.EmbeddedStore;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controller manager under load: kube4j's API server (embedded store in a temp dir) and a fake kubelet for
 * N nodes in this JVM, the controller manager (all controllers, as kube4j runs it) in a JVM of its own so its
 * heap and CPU can be measured apart. Creates D Deployments of R replicas from C concurrent creators and
 * reports the time until all D*R pods exist and until every Deployment is Available, the controller manager's
 * heap after a full GC (with everything cached, at the end) and its CPU seconds beside this JVM's (API server,
 * store, kubelet, driver).
 *
 * <p>Usage: ControllersBench [--deployments 1000] [--replicas 10] [--nodes 100] [--creators 8]
 * [--kubelet-threads 8] [--controllers '*'] [--cm-heap 512m] [--timeout-seconds 1800] [--keep]
 */
public final class ControllersBench {
    private static final String NS = "bench";

    private ControllersBench() {
    }

    public static void main(String[] args) throws Exception {
        int deployments = 1000;
        int replicas = 10;
        int nodes = 100;
        int creators = 8;
        int kubeletThreads = 8;
        String controllers = "*";
        String cmHeap = "512m";
        long timeout = 1800;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--deployments" -> { deployments = Integer.parseInt(v); i++; }
                case "--replicas" -> { replicas = Integer.parseInt(v); i++; }
                case "--nodes" -> { nodes = Integer.parseInt(v); i++; }
                case "--creators" -> { creators = Integer.parseInt(v); i++; }
                case "--kubelet-threads" -> { kubeletThreads = Integer.parseInt(v); i++; }
                case "--controllers" -> { controllers = v; i++; }
                case "--cm-heap" -> { cmHeap = v; i++; }
                case "--timeout-seconds" -> { timeout = Long.parseLong(v); i++; }
                case "--keep" -> keep = true;
                case "-h", "--help" -> {
                    System.out.println("usage: bench/controllers [--deployments 1000] [--replicas 10] [--nodes 100]"
                            + " [--creators 8] [--kubelet-threads 8] [--controllers '*'] [--cm-heap 512m]"
                            + " [--timeout-seconds 1800] [--keep (the temp dir with the store and the controller manager's log)]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        Path dir = Files.createTempDirectory("kube4j-bench-controllers");
        System.out.printf(Locale.ROOT, "controllers bench: %d deployments x %d replicas, %d nodes, %d cores, dir %s%n",
                deployments, replicas, nodes, Runtime.getRuntime().availableProcessors(), dir);
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
             ApiServer server = ApiServer.start(store, new InetSocketAddress("127.0.0.1", 0), dir);
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
             FakeNodes fakeNodes = new FakeNodes(client, nodes, kubeletThreads)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .create();
            fakeNodes.start();
            try (ChildProcess cm = ChildProcess.start(cmHeap, dir.resolve("controller-manager.log"),
                    ControllerManagerChild.class, server.kubeconfig().toString(), controllers)) {
                cm.awaitLine("RUNNING");
                long idleHeap = cm.heapUsedAfterGc();
                double cmCpu0 = cm.cpuSeconds();
                double selfCpu0 = selfCpuSeconds();
                try (Progress progress = new Progress(client, NS, deployments, replicas)) {
                    long t0 = System.nanoTime();
                    create(client, deployments, replicas, creators);
                    long createdAt = System.nanoTime();
                    Thread reporter = reporter(progress, t0);
                    boolean pods = progress.awaitAllPods(timeout);
                    boolean available = pods && progress.awaitAllAvailable(timeout);
                    reporter.interrupt();
                    double cmCpu = cm.cpuSeconds() - cmCpu0;
                    double selfCpu = selfCpuSeconds() - selfCpu0;
                    long heap = cm.heapUsedAfterGc();
                    System.out.printf(Locale.ROOT, "created %d deployments in %.1f s%n", deployments, secs(t0, createdAt));
                    System.out.printf(Locale.ROOT, "all %d pods exist:            %s%n", deployments * replicas,
                            pods ? String.format(Locale.ROOT, "%.1f s (%.0f pods/s)", secs(t0, progress.allPodsAtNanos()),
                                    deployments * replicas / secs(t0, progress.allPodsAtNanos()))
                                    : "NOT REACHED (" + progress.pods() + ")");
                    System.out.printf(Locale.ROOT, "all %d pods Ready:            %s%n", deployments * replicas,
                            progress.allReadyAtNanos() != 0
                                    ? String.format(Locale.ROOT, "%.1f s", secs(t0, progress.allReadyAtNanos()))
                                    : "NOT REACHED (" + progress.ready() + ")");
                    System.out.printf(Locale.ROOT, "all %d deployments Available: %s%n", deployments,
                            available ? String.format(Locale.ROOT, "%.1f s", secs(t0, progress.allAvailableAtNanos()))
                                    : "NOT REACHED (" + progress.available() + ")");
                    System.out.printf(Locale.ROOT, "controller manager heap after full GC: idle %.1f MB, loaded %.1f MB;"
                            + " peak RSS %.0f MB (-Xmx%s)%n", idleHeap / 1e6, heap / 1e6, cm.peakRssKb() / 1024.0, cmHeap);
                    System.out.printf(Locale.ROOT, "CPU during the run: controller manager %.1f s, API server + store +"
                            + " fake kubelet + driver %.1f s%n", cmCpu, selfCpu);
                }
            }
        }
        if (!keep) {
            EtcdLauncher.deleteTreeQuietly(dir);
        }
        System.exit(0);
    }

    private static void create(KubernetesClient client, int deployments, int replicas, int creators) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(creators);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < creators; c++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < deployments) {
                    client.apps().deployments().inNamespace(NS).resource(deployment("d-" + i, replicas)).create();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("registry.local/app:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static Thread reporter(Progress progress, long t0) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(10_000);
                    System.out.printf(Locale.ROOT, "  %.0f s: %d pods, %d ready, %d deployments available%n",
                            secs(t0, System.nanoTime()), progress.pods(), progress.ready(), progress.available());
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static double selfCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }
}
