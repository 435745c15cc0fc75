package io.kube4j.bench.proxy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kube4j.proxy.Proxy;
import io.kube4j.proxy.ProxyOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The service proxy under load, in the spirit of upstream's kube-proxy scale tests: N Services with M endpoints
 * each, served by fabric8's mock API server (CRUD mode) in this JVM, and the real {@link Proxy} programming an
 * nftables table inside a network namespace of its own. Measures
 * <ol>
 * <li>full sync: a proxy starting with every Service present (the table written in one nft transaction);</li>
 * <li>incremental sync: one endpoint of one Service replaced, as when a pod is; the proxy's own sync time and
 * the time from the API write until the kernel has the change;</li>
 * <li>TCP connection set-up from the node through a ClusterIP against straight to the pod IP.</li>
 * </ol>
 */
public final class ProxyBench {
    /** Held so the level sticks: the mock server logs every request through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private ProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        int services = 1000;
        int endpoints = 10;
        int fullRuns = 5;
        int changes = 30;
        int connections = 5000;
        int warmup = 1000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> services = Integer.parseInt(args[++i]);
                case "--endpoints" -> endpoints = Integer.parseInt(args[++i]);
                case "--full-runs" -> fullRuns = Integer.parseInt(args[++i]);
                case "--changes" -> changes = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--help" -> {
                    System.out.println("usage: bench/proxy [--services 1000] [--endpoints 10] [--full-runs 5] "
                            + "[--changes 30] [--connections 5000] [--warmup 1000]   (needs root: network namespaces)");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("proxy bench: needs root (it creates network namespaces and nftables tables)");
            System.exit(2);
        }
        System.out.printf("proxy bench: %d services x %d endpoints, %d full syncs, %d incremental changes, "
                + "%d connections per target (%d warm-up); %d cores%n", services, endpoints, fullRuns, changes,
                connections, warmup, Runtime.getRuntime().availableProcessors());

        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getByName("127.0.0.1"), 0);
        try (BenchNetwork network = new BenchNetwork(); KubernetesClient client = api.createClient()) {
            network.create();
            long t0 = System.nanoTime();
            for (int i = 0; i < services; i++) {
                client.services().resource(ServiceFixtures.service(i)).create();
                client.discovery().v1().endpointSlices().resource(ServiceFixtures.slice(i, endpoints, 0)).create();
            }
            System.out.printf("created %d services and slices in %.1f s%n", services, (System.nanoTime() - t0) / 1e9);

            ProxyOptions options = ProxyOptions.defaults("node-0").withNodeIps(List.of("10.42.0.1"))
                    .inNetns(network.node).withMinSyncInterval(Duration.ZERO);
            double[] full = new double[fullRuns];
            Proxy proxy = null;
            for (int r = 0; r < fullRuns; r++) {
                if (proxy != null) {
                    // leaves the table: the next start replaces a full table, as a restarted proxy does
                    proxy.detach();
                }
                proxy = Proxy.start(client, options);
                full[r] = proxy.metrics().lastSyncDuration() * 1000;
            }
            long rules = proxy.metrics().rules();
            String table = BenchNetwork.run("ip", "netns", "exec", network.node, "nft", "list", "table", "ip", "kube4j");
            System.out.printf("full sync (ms, %d rules, %d lines of nft list): %s%n", rules, table.lines().count(),
                    summary(full));

            // what nft 1.0.x itself costs per transaction: it reads the kernel's ruleset into its cache first, so
            // even a one-element change pays for the size of the table
            double[] nftBig = new double[10];
            double[] nftEmpty = new double[10];
            for (int i = 0; i < nftBig.length; i++) {
                nftBig[i] = timeNft(network.node, "add element ip kube4j cluster-ips { " + ServiceFixtures.clusterIp(0)
                        + " }\n");
                nftEmpty[i] = timeNft(network.pod, "add table ip probe\n");
            }
            System.out.printf("one-line nft transaction (ms): against this table %s; in an empty namespace %s%n",
                    summary(nftBig), summary(nftEmpty));

            double[] partial = new double[changes];
            double[] endToEnd = new double[changes];
            for (int c = 0; c < changes; c++) {
                int svc = 1 + c % (services - 1);
                long before = proxy.syncCount();
                long start = System.nanoTime();
                client.discovery().v1().endpointSlices().resource(ServiceFixtures.slice(svc, endpoints, c + 1)).update();
                while (proxy.syncCount() == before) {
                    Thread.onSpinWait();
                }
                endToEnd[c] = (System.nanoTime() - start) / 1e6;
                partial[c] = proxy.metrics().lastSyncDuration() * 1000;
                if (proxy.metrics().lastSyncFull()) {
                    throw new IllegalStateException("expected an incremental sync");
                }
            }
            System.out.printf("incremental sync, proxy's own time (ms): %s%n", summary(partial));
            System.out.printf("incremental change, API write until the kernel has it (ms): %s%n", summary(endToEnd));

            Process probe = BenchNetwork.javaIn(network.node, ConnectProbe.class, Integer.toString(connections),
                    Integer.toString(warmup), ServiceFixtures.clusterIp(0) + ":" + ServiceFixtures.SERVICE_PORT,
                    BenchNetwork.podIp(0) + ":" + BenchNetwork.POD_PORT);
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!probe.waitFor(600, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                throw new IOException("connect probe failed: " + out);
            }
            List<double[]> rows = new ArrayList<>();
            System.out.println("TCP connection set-up from the node (microseconds):   p50     p90     p99    mean");
            String[] labels = {"through the ClusterIP", "straight to the pod IP"};
            int row = 0;
            for (String line : out.strip().split("\n")) {
                String[] f = line.trim().split("\\s+");
                double[] v = {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4])};
                rows.add(v);
                System.out.printf(Locale.ROOT, "  %-24s %-22s %7.1f %7.1f %7.1f %7.1f%n", labels[row++], f[0], v[0],
                        v[1], v[2], v[3]);
            }
            System.out.printf(Locale.ROOT, "ClusterIP / pod IP ratio: p50 %.2f, mean %.2f%n",
                    rows.get(0)[0] / rows.get(1)[0], rows.get(0)[3] / rows.get(1)[3]);
            proxy.close();
        } finally {
            api.destroy();
        }
    }

    private static double timeNft(String ns, String transaction) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(transaction.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("nft failed: " + out);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static String summary(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "min %.1f, p50 %.1f, p90 %.1f, max %.1f (n=%d)", s[0], s[rank(s, 50)],
                s[rank(s, 90)], s[s.length - 1], s.length);
    }

    private static int rank(double[] sorted, double p) {
        return Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1));
    }
}
