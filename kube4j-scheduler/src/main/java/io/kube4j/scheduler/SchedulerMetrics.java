package io.kube4j.scheduler;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/** Upstream's main scheduler metrics in Prometheus text format. */
public final class SchedulerMetrics {
    private static final double[] BUCKETS = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384};

    final AtomicLong scheduled = new AtomicLong();
    final AtomicLong unschedulable = new AtomicLong();
    final AtomicLong error = new AtomicLong();
    final AtomicLong preemptionAttempts = new AtomicLong();
    final AtomicLong preemptionVictims = new AtomicLong();
    private final Histogram attemptDuration = new Histogram();
    private final Histogram e2eDuration = new Histogram();
    private volatile IntSupplier active = () -> 0, backoff = () -> 0, unsched = () -> 0;

    void gauges(IntSupplier active, IntSupplier backoff, IntSupplier unsched) {
        this.active = active;
        this.backoff = backoff;
        this.unsched = unsched;
    }

    void observeAttempt(double seconds) { attemptDuration.observe(seconds); }

    /** From the first attempt to a successful bind (scheduler_pod_scheduling_sli_duration_seconds). */
    void observeE2E(double seconds) { e2eDuration.observe(seconds); }

    public long scheduledCount() { return scheduled.get(); }
    public long unschedulableCount() { return unschedulable.get(); }
    public long errorCount() { return error.get(); }

    public String prometheusText(String profile) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP scheduler_schedule_attempts_total Number of attempts to schedule pods, by the result.\n");
        sb.append("# TYPE scheduler_schedule_attempts_total counter\n");
        counter(sb, "scheduled", profile, scheduled.get());
        counter(sb, "unschedulable", profile, unschedulable.get());
        counter(sb, "error", profile, error.get());
        sb.append("# HELP scheduler_pending_pods Number of pending pods, by the queue type.\n# TYPE scheduler_pending_pods gauge\n");
        sb.append("scheduler_pending_pods{queue=\"active\"} ").append(active.getAsInt()).append('\n');
        sb.append("scheduler_pending_pods{queue=\"backoff\"} ").append(backoff.getAsInt()).append('\n');
        sb.append("scheduler_pending_pods{queue=\"unschedulable\"} ").append(unsched.getAsInt()).append('\n');
        sb.append("scheduler_pending_pods{queue=\"gated\"} 0\n");
        sb.append("# HELP scheduler_preemption_attempts_total Total preemption attempts in the cluster till now\n# TYPE scheduler_preemption_attempts_total counter\n");
        sb.append("scheduler_preemption_attempts_total ").append(preemptionAttempts.get()).append('\n');
        sb.append("# HELP scheduler_preemption_victims Number of selected preemption victims\n# TYPE scheduler_preemption_victims counter\n");
        sb.append("scheduler_preemption_victims ").append(preemptionVictims.get()).append('\n');
        attemptDuration.write(sb, "scheduler_scheduling_attempt_duration_seconds", "Scheduling attempt latency in seconds (scheduling algorithm + binding)", "{profile=\"" + profile + "\",result=\"scheduled\"");
        e2eDuration.write(sb, "scheduler_pod_scheduling_sli_duration_seconds", "E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue", "{attempts=\"any\"");
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String result, String profile, long v) {
        sb.append("scheduler_schedule_attempts_total{profile=\"").append(profile).append("\",result=\"").append(result).append("\"} ").append(v).append('\n');
    }

    static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        private final AtomicLong sumMicros = new AtomicLong();

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
            counts.incrementAndGet(i);
            sumMicros.addAndGet((long) (seconds * 1e6));
        }

        void write(StringBuilder sb, String name, String help, String labelsOpen) {
            sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" histogram\n");
            long cum = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cum += counts.get(i);
                sb.append(name).append("_bucket").append(labelsOpen).append(",le=\"").append(BUCKETS[i]).append("\"} ").append(cum).append('\n');
            }
            cum += counts.get(BUCKETS.length);
            sb.append(name).append("_bucket").append(labelsOpen).append(",le=\"+Inf\"} ").append(cum).append('\n');
            sb.append(name).append("_sum").append(labelsOpen).append("} ").append(sumMicros.get() / 1e6).append('\n');
            sb.append(name).append("_count").append(labelsOpen).append("} ").append(cum).append('\n');
        }
    }
}
