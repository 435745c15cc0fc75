package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.podresources.PodResourceLists;
import io.kube4j.api.podresources.PodTotals;
import io.kube4j.api.quantity.Quantity;

import java.util.Map;

/**
 * A pod's requests in the scheduler's integer units, from upstream's resource.PodRequests ({@link PodTotals}): app
 * containers and sidecars, at least each init container's peak, plus pod overhead. As upstream, the total is exact
 * and rounded up to millicores and bytes once, not per container.
 */
public final class PodRequests {
    /** Requests assumed for containers that set none, used only for spreading scores. */
    public static final long DEFAULT_MILLI_CPU = 100;
    public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    /** Upstream's NonMissingContainerRequests of the resource allocation scorers. */
    private static final PodTotals.Options NON_ZERO = PodTotals.Options.DEFAULT.withNonMissingContainerRequests(Map.of(
            Resource.CPU, Quantity.ofMillis(DEFAULT_MILLI_CPU),
            Resource.MEMORY, Quantity.of(DEFAULT_MEMORY, Quantity.Format.DECIMAL_SI)));

    private PodRequests() {}

    public static Resource of(Pod pod) {
        return resource(PodTotals.requests(PodResourceLists.of(pod), PodTotals.Options.DEFAULT));
    }

    /** Like {@link #of} but every container without a cpu/memory request counts the defaults. */
    public static Resource nonZero(Pod pod) {
        return resource(PodTotals.requests(PodResourceLists.of(pod), NON_ZERO));
    }

    /** Upstream's Resource.Add of a resource list: cpu in millicores, the rest in whole units, rounded up. */
    private static Resource resource(Map<String, Quantity> totals) {
        Resource r = new Resource();
        totals.forEach((name, q) -> {
            switch (name) {
                case Resource.CPU -> r.milliCpu = q.milliValue();
                case Resource.MEMORY -> r.memory = q.value();
                case Resource.EPHEMERAL_STORAGE -> r.ephemeralStorage = q.value();
                case Resource.PODS -> r.allowedPodNumber = q.value();
                default -> {
                    if (Resource.isScalar(name)) r.addScalar(name, q.value());
                }
            }
        });
        return r;
    }
}
