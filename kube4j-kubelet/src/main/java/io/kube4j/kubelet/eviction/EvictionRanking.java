package io.kube4j.kubelet.eviction;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.kubelet.cm.ContainerResources;
import io.kube4j.kubelet.cm.PodResources;

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

    /**
     * The pod's request of a resource in bytes (upstream's GetResourceRequestQuantity): its containers' effective
     * request and, for memory, its {@code spec.overhead}, the share the scheduler reserved for the sandbox itself. The
     * overhead is added only to a request that is set: a BestEffort pod stays at zero.
     */
    static long requests(Pod pod, String resource) {
        java.math.BigDecimal request = PodResources.requests(pod, false).getOrDefault(resource, java.math.BigDecimal.ZERO);
        java.math.BigDecimal overhead = PodResources.overhead(pod).get(resource);
        if (resource.equals("memory") && overhead != null && request.signum() != 0) {
            request = request.add(overhead);
        }
        return ContainerResources.bytes(request);
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
