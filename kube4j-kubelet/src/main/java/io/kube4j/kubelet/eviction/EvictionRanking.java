package io.kube4j.kubelet.eviction;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Comparator;
import java.util.Map;

/**
 * Upstream's eviction order (rankMemoryPressure, rankDiskPressureFunc): first the pods whose usage exceeds their
 * requests (so BestEffort pods, whose requests are zero, as soon as they use anything), then lower priority, then
 * the larger usage above requests. Guaranteed pods within their requests come last.
 */
final class EvictionRanking {
    private EvictionRanking() {
    }

    static Comparator<Pod> forSignal(Signal signal, Map<String, PodUsage> usage) {
        String resource = signal.isMemory() ? "memory" : "ephemeral-storage";
        java.util.function.ToLongFunction<Pod> used = p -> {
            PodUsage u = usage.getOrDefault(p.getMetadata().getUid(), PodUsage.NONE);
            return signal.isMemory() ? u.memory() : u.disk();
        };
        Comparator<Pod> exceeds = Comparator.comparing((Pod p) -> used.applyAsLong(p) > requests(p, resource)).reversed();
        Comparator<Pod> priority = Comparator.comparingInt(EvictionRanking::priority);
        Comparator<Pod> aboveRequests = Comparator.comparingLong((Pod p) -> used.applyAsLong(p) - requests(p, resource)).reversed();
        return exceeds.thenComparing(priority).thenComparing(aboveRequests);
    }

    static int priority(Pod pod) {
        Integer p = pod.getSpec().getPriority();
        return p == null ? 0 : p;
    }

    /** The pod's request of a resource in bytes: the sum over its app containers (init containers ran before). */
    static long requests(Pod pod, String resource) {
        long sum = 0;
        for (Container c : pod.getSpec().getContainers()) {
            sum += request(c, resource);
        }
        return sum;
    }

    static long request(Container c, String resource) {
        if (c.getResources() == null) {
            return 0;
        }
        Map<String, Quantity> requests = c.getResources().getRequests();
        Quantity q = requests == null ? null : requests.get(resource);
        if (q == null && c.getResources().getLimits() != null) {
            q = c.getResources().getLimits().get(resource); // a limit alone defaults the request, as upstream's defaulting does
        }
        return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
    }
}
