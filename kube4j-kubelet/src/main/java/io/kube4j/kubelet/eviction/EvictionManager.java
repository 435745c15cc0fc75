package io.kube4j.kubelet.eviction;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.nodestatus.NodeStatusBuilder.Pressure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Upstream's eviction manager with hard thresholds: every pass observes the signals, sets the node's MemoryPressure
 * and DiskPressure from them and, while a threshold is met, evicts one pod - chosen in upstream's order for the
 * resource to reclaim - then lets the next pass see whether that was enough.
 */
public final class EvictionManager {
    private static final Logger LOG = LoggerFactory.getLogger(EvictionManager.class);
    /** Upstream's --eviction-pressure-transition-period: a condition stays True this long after its last threshold was met. */
    public static final java.time.Duration PRESSURE_TRANSITION_PERIOD = java.time.Duration.ofMinutes(5);

    /** Ends a pod: stops it and marks it Failed with reason Evicted and this message. */
    public interface Evictor {
        void evict(Pod pod, String message);
    }

    private final Thresholds thresholds;
    private final SignalSource signals;
    private final Supplier<List<Pod>> activePods;
    private final Evictor evictor;
    private final Runnable pressureChanged;
    private final java.time.Duration transitionPeriod;
    private volatile Pressure pressure = Pressure.none();
    private java.time.Instant memoryMetAt;
    private java.time.Instant diskMetAt;

    public EvictionManager(Thresholds thresholds, SignalSource signals, Supplier<List<Pod>> activePods, Evictor evictor,
                           Runnable pressureChanged) {
        this(thresholds, signals, activePods, evictor, pressureChanged, PRESSURE_TRANSITION_PERIOD);
    }

    public EvictionManager(Thresholds thresholds, SignalSource signals, Supplier<List<Pod>> activePods, Evictor evictor,
                           Runnable pressureChanged, java.time.Duration transitionPeriod) {
        this.transitionPeriod = transitionPeriod;
        this.thresholds = thresholds;
        this.signals = signals;
        this.activePods = activePods;
        this.evictor = evictor;
        this.pressureChanged = pressureChanged;
    }

    public Pressure pressure() {
        return pressure;
    }

    /** One pass; returns the pod it evicted, if any. */
    public synchronized Optional<Pod> synchronize() {
        NodeObservations node = signals.node();
        List<Threshold> met = thresholds.all().stream()
                .filter(t -> node.capacity(t.signal()) > 0 && t.met(node.available(t.signal()), node.capacity(t.signal())))
                // memory first, as upstream reclaims it before disk
                .sorted(Comparator.comparingInt(t -> t.signal().ordinal()))
                .toList();
        java.time.Instant at = java.time.Instant.now();
        boolean memoryMet = met.stream().anyMatch(t -> t.signal().isMemory());
        boolean diskMet = met.stream().anyMatch(t -> !t.signal().isMemory());
        memoryMetAt = memoryMet ? at : memoryMetAt;
        diskMetAt = diskMet ? at : diskMetAt;
        // a condition that flapped with every pass would make the scheduler flap too
        Pressure now = new Pressure(memoryMet || within(memoryMetAt, at), diskMet || within(diskMetAt, at));
        if (!now.equals(pressure)) {
            LOG.info("node pressure now memory={} disk={}", now.memory(), now.disk());
            pressure = now;
            pressureChanged.run();
        }
        if (met.isEmpty()) {
            return Optional.empty();
        }
        Threshold threshold = met.get(0);
        Map<String, PodUsage> usage = signals.pods();
        List<Pod> candidates = activePods.get().stream().filter(p -> !critical(p))
                .sorted(EvictionRanking.forSignal(threshold.signal(), usage)).toList();
        if (candidates.isEmpty()) {
            LOG.warn("eviction threshold {} met, but no pod can be evicted", threshold.signal().flagName());
            return Optional.empty();
        }
        Pod victim = candidates.get(0);
        String message = message(threshold, node, victim, usage.getOrDefault(victim.getMetadata().getUid(), PodUsage.NONE));
        LOG.warn("evicting pod {}/{}: {}", victim.getMetadata().getNamespace(), victim.getMetadata().getName(), message);
        evictor.evict(victim, message);
        return Optional.of(victim);
    }

    private boolean within(java.time.Instant metAt, java.time.Instant now) {
        return metAt != null && java.time.Duration.between(metAt, now).compareTo(transitionPeriod) < 0;
    }

    static boolean critical(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && ("file".equals(annotations.get(Labels.CONFIG_SOURCE))
                || annotations.containsKey("kubernetes.io/config.mirror"))) {
            return true;
        }
        // system-critical pods, as static pods, are never evicted
        return EvictionRanking.priority(pod) >= io.kube4j.api.defaults.SystemPriorityClasses.SYSTEM_CRITICAL_PRIORITY;
    }

    /** Upstream's eviction message, word for word. */
    static String message(Threshold threshold, NodeObservations node, Pod pod, PodUsage usage) {
        String resource = threshold.signal().resource();
        StringBuilder m = new StringBuilder("The node was low on resource: ").append(resource).append(". ");
        long capacity = node.capacity(threshold.signal());
        String quantity = threshold.text().endsWith("%") ? format(threshold.bytesOf(capacity)) : threshold.text();
        m.append("Threshold quantity: ").append(quantity).append(", available: ")
                .append(format(node.available(threshold.signal()))).append(". ");
        Map<String, Long> byContainer = threshold.signal().isMemory() ? usage.memoryByContainer() : usage.diskByContainer();
        for (Container c : pod.getSpec().getContainers()) {
            Long used = byContainer.get(c.getName());
            long request = EvictionRanking.request(c, resource);
            if (used != null && used > request) {
                m.append("Container ").append(c.getName()).append(" was using ").append(format(used)).append(", request is ")
                        .append(format(request)).append(", has larger consumption of ").append(resource).append(". ");
            }
        }
        return m.toString();
    }

    /** A byte count as Go's resource.Quantity prints a binary-SI value: the largest exact suffix, else plain. */
    static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
        int i = 0;
        long v = bytes;
        while (i < suffixes.length - 1 && v % 1024 == 0) {
            v /= 1024;
            i++;
        }
        return v + suffixes[i];
    }
}
