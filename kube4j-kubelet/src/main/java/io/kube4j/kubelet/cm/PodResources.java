package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.podresources.PodResourceLists;
import io.kube4j.api.podresources.PodTotals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A pod's effective requests and limits as the kubelet sizes cgroups and ranks evictions with them: upstream's
 * PodRequests / PodLimits ({@link PodTotals}) in cores and bytes, with or without {@code spec.overhead}, which
 * RuntimeClass admission set for what the sandbox itself costs. A request a container left unset counts as its
 * limit: static pods never went through the API server's defaulting (upstream defaults them when it decodes them).
 */
public final class PodResources {
    private static final PodTotals.Options WITH_OVERHEAD = PodTotals.Options.DEFAULT.withRequestsDefaultedToLimits();
    private static final PodTotals.Options WITHOUT_OVERHEAD = WITH_OVERHEAD.withoutOverhead();

    private PodResources() {
    }

    /** Requests by resource name, in the resource's units (cores for cpu, bytes for memory). */
    public static Map<String, BigDecimal> requests(Pod pod, boolean withOverhead) {
        return PodTotals.amounts(PodTotals.requests(PodResourceLists.of(pod), options(withOverhead)));
    }

    /** Limits by resource name; a resource no container limits is absent (and gets no overhead). */
    public static Map<String, BigDecimal> limits(Pod pod, boolean withOverhead) {
        return PodTotals.amounts(PodTotals.limits(PodResourceLists.of(pod), options(withOverhead)));
    }

    /**
     * Whether every container, init containers included, limits the resource: only then is the pod as a whole
     * limited (upstream's cpuLimitsDeclared / memoryLimitsDeclared).
     */
    public static boolean limitDeclared(Pod pod, String resource) {
        for (Container c : all(pod)) {
            if (!QosClasses.nonZero(QosClasses.limits(c).get(resource))) {
                return false;
            }
        }
        return true;
    }

    /** {@code spec.overhead} by resource name; empty when the pod's RuntimeClass declared none. */
    public static Map<String, BigDecimal> overhead(Pod pod) {
        return PodTotals.amounts(PodResourceLists.list(pod.getSpec() == null ? null : pod.getSpec().getOverhead()));
    }

    private static PodTotals.Options options(boolean withOverhead) {
        return withOverhead ? WITH_OVERHEAD : WITHOUT_OVERHEAD;
    }

    private static List<Container> all(Pod pod) {
        List<Container> all = new java.util.ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        return all;
    }
}
