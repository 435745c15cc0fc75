package io.kube4j.proxy.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;

/** The proxy's counters, written in the Prometheus text format with upstream kube-proxy's metric names. */
public final class ProxyMetrics {

    /** Upstream's buckets: 1 ms doubling 15 times. */
    private static final double[] BUCKETS = buckets();

    private final Histogram all = new Histogram();
    private final Histogram full = new Histogram();
    private final Histogram partial = new Histogram();
    private long failures;
    private long rules;
    private double lastSyncSeconds;
    private double lastSyncDuration;
    private boolean lastSyncFull;

    public synchronized void recordSync(boolean fullSync, double seconds, int ruleCount, long epochMillis) {
        all.observe(seconds);
        (fullSync ? full : partial).observe(seconds);
        rules = ruleCount;
        lastSyncSeconds = epochMillis / 1000.0;
        lastSyncDuration = seconds;
        lastSyncFull = fullSync;
    }

    /** How long the last successful sync took, in seconds. */
    public synchronized double lastSyncDuration() {
        return lastSyncDuration;
    }

    public synchronized boolean lastSyncFull() {
        return lastSyncFull;
    }

    /** Rules in the table after the last successful sync. */
    public synchronized long rules() {
        return rules;
    }

    public synchronized void recordFailure() {
        failures++;
    }

    public synchronized long syncs() {
        return all.count;
    }

    public synchronized long failures() {
        return failures;
    }

    /** The metrics in the Prometheus text exposition format (version 0.0.4). */
    public synchronized String text() {
        StringBuilder out = new StringBuilder();
        all.write(out, "kubeproxy_sync_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds");
        full.write(out, "kubeproxy_sync_full_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds for full resyncs");
        partial.write(out, "kubeproxy_sync_partial_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds for partial resyncs");
        gauge(out, "kubeproxy_sync_proxy_rules_last_timestamp_seconds", "The last time proxy rules were successfully synced",
                lastSyncSeconds);
        gauge(out, "kubeproxy_sync_proxy_rules_nftables_rules", "Number of rules in the proxy's nftables table", rules);
        out.append("# HELP kubeproxy_sync_proxy_rules_nftables_sync_failures_total Syncs that nft refused\n")
                .append("# TYPE kubeproxy_sync_proxy_rules_nftables_sync_failures_total counter\n")
                .append("kubeproxy_sync_proxy_rules_nftables_sync_failures_total ").append(failures).append('\n');
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(format(value)).append('\n');
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static double[] buckets() {
        double[] b = new double[15];
        for (int i = 0; i < b.length; i++) {
            b[i] = 0.001 * Math.pow(2, i);
        }
        return b;
    }

    private static final class Histogram {
        private final long[] counts = new long[BUCKETS.length];
        private final DoubleAdder sum = new DoubleAdder();
        private long count;

        void observe(double v) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (v <= BUCKETS[i]) {
                    counts[i]++;
                }
            }
            sum.add(v);
            count++;
        }

        void write(StringBuilder out, String name, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            for (int i = 0; i < BUCKETS.length; i++) {
                out.append(name).append("_bucket{le=\"").append(String.format(Locale.ROOT, "%.3f", BUCKETS[i]))
                        .append("\"} ").append(counts[i]).append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
            out.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.6f", sum.sum())).append('\n');
            out.append(name).append("_count ").append(count).append('\n');
        }
    }
}
