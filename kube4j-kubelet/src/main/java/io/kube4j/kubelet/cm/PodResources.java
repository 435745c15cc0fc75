package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pod's effective requests and limits, as upstream's PodRequests / PodLimits (component-helpers/resource): the app
 * containers and sidecars (restartable init containers) together, at least as much as any init container needs
 * while it runs (with the sidecars started before it), and then {@code spec.overhead}, which RuntimeClass admission
 * set for what the sandbox itself costs. The overhead is added to every request, but only to limits that are set:
 * a pod without a memory limit stays unlimited.
 */
public final class PodResources {
    private PodResources() {
    }

    /** Requests by resource name, in the resource's units (cores for cpu, bytes for memory). */
    public static Map<String, BigDecimal> requests(Pod pod, boolean withOverhead) {
        Map<String, BigDecimal> requests = aggregate(pod, PodResources::containerRequests);
        if (withOverhead) {
            overhead(pod).forEach((name, value) -> requests.merge(name, value, BigDecimal::add));
        }
        return requests;
    }

    /** Limits by resource name; a resource no container limits is absent. */
    public static Map<String, BigDecimal> limits(Pod pod, boolean withOverhead) {
        Map<String, BigDecimal> limits = aggregate(pod, QosClasses::limits);
        if (withOverhead) {
            overhead(pod).forEach((name, value) -> limits.computeIfPresent(name,
                    (k, limit) -> limit.signum() == 0 ? limit : limit.add(value)));
        }
        return limits;
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
        Map<String, BigDecimal> result = new HashMap<>();
        Map<String, Quantity> overhead = pod.getSpec() == null ? null : pod.getSpec().getOverhead();
        if (overhead != null) {
            overhead.forEach((name, q) -> {
                if (q != null) {
                    result.put(name, q.getNumericalAmount());
                }
            });
        }
        return result;
    }

    /** A request the API left unset defaults to the limit (upstream's defaulting; older objects may lack it). */
    static Map<String, Quantity> containerRequests(Container c) {
        Map<String, Quantity> requests = QosClasses.requests(c);
        Map<String, Quantity> limits = QosClasses.limits(c);
        if (limits.isEmpty() || requests.keySet().containsAll(limits.keySet())) {
            return requests;
        }
        Map<String, Quantity> merged = new HashMap<>(limits);
        merged.putAll(requests);
        return merged;
    }

    private static Map<String, BigDecimal> aggregate(Pod pod, Function<Container, Map<String, Quantity>> of) {
        Map<String, BigDecimal> sum = new HashMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            add(sum, of.apply(c));
        }
        Map<String, BigDecimal> sidecars = new HashMap<>();
        Map<String, BigDecimal> initPeak = new HashMap<>();
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        for (Container c : inits) {
            Map<String, BigDecimal> whileRunning;
            if ("Always".equals(c.getRestartPolicy())) {
                // a sidecar runs beside the app containers and every init container after it
                add(sum, of.apply(c));
                add(sidecars, of.apply(c));
                whileRunning = sidecars;
            } else {
                whileRunning = new HashMap<>(sidecars);
                add(whileRunning, of.apply(c));
            }
            whileRunning.forEach((name, value) -> initPeak.merge(name, value, BigDecimal::max));
        }
        initPeak.forEach((name, value) -> sum.merge(name, value, BigDecimal::max));
        return sum;
    }

    private static void add(Map<String, BigDecimal> into, Map<String, Quantity> resources) {
        resources.forEach((name, q) -> {
            if (q != null) {
                into.merge(name, q.getNumericalAmount(), BigDecimal::add);
            }
        });
    }

    private static List<Container> all(Pod pod) {
        List<Container> all = new java.util.ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        return all;
    }
}
