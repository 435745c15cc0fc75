package io.kube4j.api.podresources;

import io.kube4j.api.podresources.PodResourceLists.ContainerLists;
import io.kube4j.api.quantity.Quantity;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A pod's effective requests and limits, as upstream's component-helpers/resource PodRequests and PodLimits compute
 * them for the scheduler, the kubelet, ResourceQuota and LimitRanger: the app containers and the sidecars
 * (restartable init containers) run together, so they add up; an init container runs beside only the sidecars
 * started before it, so the pod needs at least the largest such sum (KEP-753); then, as asked, the pod-level
 * {@code spec.resources} replace the container totals for the names they support, and {@code spec.overhead} (what
 * the sandbox of the pod's RuntimeClass costs) is added - to every request, but only to limits that are set: a pod
 * without a memory limit stays unlimited.
 */
public final class PodTotals {

    /**
     * Upstream's PodResourcesOptions that kube4j uses.
     *
     * @param excludeOverhead             leave {@code spec.overhead} out (LimitRanger, the kubelet's container view)
     * @param skipPodLevelResources       ignore {@code spec.resources} (the PodLevelResources gate is off in 1.32)
     * @param nonMissingContainerRequests a request a container does not set (set to 0 counts as set) counts as this,
     *                                    as the scheduler's spreading scores assume 100m cpu and 200Mi memory
     * @param requestsDefaultToLimits     a container's missing request is its limit, as the API's defaulting makes it:
     *                                    for pods that never went through the API server (the kubelet's static pods;
     *                                    upstream defaults them when it decodes the manifest)
     */
    public record Options(boolean excludeOverhead, boolean skipPodLevelResources,
                          Map<String, Quantity> nonMissingContainerRequests, boolean requestsDefaultToLimits) {

        /** Upstream's defaults under 1.32's feature gates: overhead included, pod-level resources skipped. */
        public static final Options DEFAULT = new Options(false, true, Map.of(), false);

        public Options withoutOverhead() {
            return new Options(true, skipPodLevelResources, nonMissingContainerRequests, requestsDefaultToLimits);
        }

        public Options withPodLevelResources() {
            return new Options(excludeOverhead, false, nonMissingContainerRequests, requestsDefaultToLimits);
        }

        public Options withNonMissingContainerRequests(Map<String, Quantity> defaults) {
            return new Options(excludeOverhead, skipPodLevelResources, Map.copyOf(defaults), requestsDefaultToLimits);
        }

        public Options withRequestsDefaultedToLimits() {
            return new Options(excludeOverhead, skipPodLevelResources, nonMissingContainerRequests, true);
        }
    }

    private PodTotals() {
    }

    /** Upstream's PodRequests; a resource nothing requests is absent. */
    public static Map<String, Quantity> requests(PodResourceLists pod, Options options) {
        Map<String, Quantity> requests = aggregate(pod, c -> containerRequests(c, options));
        if (!options.skipPodLevelResources() && anyPodLevel(pod.podRequests())) {
            usePodLevel(requests, pod.podRequests());
        }
        if (!options.excludeOverhead()) {
            addInto(requests, pod.overhead());
        }
        return requests;
    }

    /** Upstream's PodLimits; a resource no container limits is absent, and gets no overhead. */
    public static Map<String, Quantity> limits(PodResourceLists pod, Options options) {
        Map<String, Quantity> limits = aggregate(pod, ContainerLists::limits);
        if (!options.skipPodLevelResources() && (anyPodLevel(pod.podRequests()) || anyPodLevel(pod.podLimits()))) {
            usePodLevel(limits, pod.podLimits());
        }
        if (!options.excludeOverhead()) {
            pod.overhead().forEach((name, overhead) ->
                    limits.computeIfPresent(name, (k, limit) -> limit.add(overhead)));
        }
        return limits;
    }

    /** Totals as exact numbers (cores, bytes), for the components that compute with BigDecimal. */
    public static Map<String, BigDecimal> amounts(Map<String, Quantity> totals) {
        Map<String, BigDecimal> amounts = new HashMap<>();
        totals.forEach((name, q) -> amounts.put(name, q.toBigDecimal()));
        return amounts;
    }

    /**
     * Whether pod-level resources may set this resource (upstream's IsSupportedPodLevelResource): cpu, memory and
     * hugepages; other names in {@code spec.resources} are left to the containers' totals.
     */
    public static boolean podLevelResource(String name) {
        return name.equals("cpu") || name.equals("memory") || name.startsWith("hugepages-");
    }

    private static Map<String, Quantity> aggregate(PodResourceLists pod,
                                                   Function<ContainerLists, Map<String, Quantity>> of) {
        Map<String, Quantity> total = new TreeMap<>();
        for (ContainerLists c : pod.containers()) {
            addInto(total, of.apply(c));
        }
        Map<String, Quantity> sidecars = new TreeMap<>();
        Map<String, Quantity> initPeak = new TreeMap<>();
        for (ContainerLists c : pod.initContainers()) {
            Map<String, Quantity> own = of.apply(c);
            Map<String, Quantity> whileRunning;
            if (c.sidecar()) {
                // a sidecar runs beside the app containers and every init container after it
                addInto(total, own);
                addInto(sidecars, own);
                whileRunning = sidecars;
            } else {
                whileRunning = new TreeMap<>(own);
                addInto(whileRunning, sidecars);
            }
            maxInto(initPeak, whileRunning);
        }
        maxInto(total, initPeak);
        return total;
    }

    private static Map<String, Quantity> containerRequests(ContainerLists c, Options options) {
        if (!options.requestsDefaultToLimits() && options.nonMissingContainerRequests().isEmpty()) {
            return c.requests();
        }
        Map<String, Quantity> requests = new TreeMap<>(c.requests());
        if (options.requestsDefaultToLimits()) {
            c.limits().forEach(requests::putIfAbsent);
        }
        options.nonMissingContainerRequests().forEach(requests::putIfAbsent);
        return requests;
    }

    private static boolean anyPodLevel(Map<String, Quantity> list) {
        return list.keySet().stream().anyMatch(PodTotals::podLevelResource);
    }

    private static void usePodLevel(Map<String, Quantity> totals, Map<String, Quantity> podLevel) {
        podLevel.forEach((name, q) -> {
            if (podLevelResource(name)) {
                totals.put(name, q);
            }
        });
    }

    /** Upstream's addResourceList: a sum keeps the format of the amount that came first. */
    private static void addInto(Map<String, Quantity> into, Map<String, Quantity> add) {
        add.forEach((name, q) -> into.merge(name, q, Quantity::add));
    }

    /** Upstream's maxResourceList: an equal amount keeps the one already there. */
    private static void maxInto(Map<String, Quantity> into, Map<String, Quantity> other) {
        other.forEach((name, q) -> into.merge(name, q,
                (have, candidate) -> candidate.compareTo(have) > 0 ? candidate : have));
    }
}
