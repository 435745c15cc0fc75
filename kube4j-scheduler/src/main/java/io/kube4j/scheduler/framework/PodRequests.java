package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.Map;

/**
 * Effective pod requests as upstream's resource.PodRequests: the sum of app containers and sidecars
 * (restartable init containers), the max with each init container's peak, plus pod overhead.
 */
public final class PodRequests {
    /** Requests assumed for containers that set none, used only for spreading scores. */
    public static final long DEFAULT_MILLI_CPU = 100;
    public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    private PodRequests() {}

    public static Resource of(Pod pod) {
        return compute(pod, false);
    }

    /** Like {@link #of} but every container without a cpu/memory request counts the defaults. */
    public static Resource nonZero(Pod pod) {
        return compute(pod, true);
    }

    private static Resource compute(Pod pod, boolean nonZero) {
        PodSpec spec = pod.getSpec();
        Resource reqs = new Resource();
        if (spec == null) return reqs;
        if (spec.getContainers() != null) {
            for (Container c : spec.getContainers()) reqs.add(containerRequests(c, nonZero));
        }
        List<Container> inits = spec.getInitContainers();
        if (inits != null && !inits.isEmpty()) {
            Resource sidecars = new Resource();
            Resource initPeak = new Resource();
            for (Container c : inits) {
                Resource cr = containerRequests(c, nonZero);
                Resource effective;
                if ("Always".equals(c.getRestartPolicy())) {
                    reqs.add(cr);
                    sidecars.add(cr);
                    effective = sidecars;
                } else {
                    effective = cr.copy();
                    effective.add(sidecars);
                }
                initPeak.setMax(effective);
            }
            reqs.setMax(initPeak);
        }
        Map<String, Quantity> overhead = spec.getOverhead();
        if (overhead != null) reqs.addList(overhead);
        return reqs;
    }

    private static Resource containerRequests(Container c, boolean nonZero) {
        Map<String, Quantity> requests = c.getResources() == null ? null : c.getResources().getRequests();
        Resource r = Resource.fromList(requests);
        if (nonZero) {
            if (requests == null || !requests.containsKey(Resource.CPU)) r.milliCpu = DEFAULT_MILLI_CPU;
            if (requests == null || !requests.containsKey(Resource.MEMORY)) r.memory = DEFAULT_MEMORY;
        }
        return r;
    }
}
