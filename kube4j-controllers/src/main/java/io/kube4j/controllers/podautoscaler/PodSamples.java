package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sorts a target pod as upstream's groupPods does: deleted and finished pods are ignored, pending pods are
 * unready, and for CPU a pod is also unready while it may still be starting up (within the CPU
 * initialization period, 5 min, and not Ready) or if it has never been ready (Ready=False and its readiness
 * last changed within 30 s of its start). Upstream also compares the metric's timestamp with the readiness
 * transition; the resource metrics here carry no window, so that part is left out.
 */
final class PodSamples {
    static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
    static final Duration INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

    private PodSamples() {
    }

    /** A pod's sample for a metric of the whole pod ({@code container} null) or of one of its containers. */
    static PodSample of(Pod pod, String resource, String container, Map<String, Long> usage, Instant now) {
        String unrequested = unrequestedContainer(pod, resource, container);
        return new PodSample(pod.getMetadata().getName(), state(pod, resource, now), usage.get(pod.getMetadata().getName()),
                unrequested == null ? request(pod, resource, container) : null, unrequested);
    }

    static PodSample.State state(Pod pod, String resource, Instant now) {
        String phase = Pods.phase(pod);
        if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase) || "Succeeded".equals(phase)) {
            return PodSample.State.IGNORED;
        }
        if ("Pending".equals(phase)) {
            return PodSample.State.UNREADY;
        }
        if (!"cpu".equals(resource)) {
            return PodSample.State.READY;
        }
        PodCondition ready = Pods.readyCondition(pod);
        Instant started = pod.getStatus() == null ? null : Times.parse(pod.getStatus().getStartTime());
        if (ready == null || started == null) {
            return PodSample.State.UNREADY;
        }
        if (started.plus(CPU_INITIALIZATION_PERIOD).isAfter(now)) {
            return "True".equals(ready.getStatus()) ? PodSample.State.READY : PodSample.State.UNREADY;
        }
        Instant transition = Times.parse(ready.getLastTransitionTime());
        boolean neverReady = "False".equals(ready.getStatus()) && transition != null
                && started.plus(INITIAL_READINESS_DELAY).isAfter(transition);
        return neverReady ? PodSample.State.UNREADY : PodSample.State.READY;
    }

    /**
     * The pod's summed request for the resource in milli-units, over its containers and restartable (sidecar) init
     * containers as upstream's calculatePodRequests, or over the one named {@code container}.
     */
    static long request(Pod pod, String resource, String container) {
        long sum = 0;
        for (Container c : counted(pod, container)) {
            sum += Quantities.milli(requestOf(c, resource));
        }
        return sum;
    }

    /** The first counted container that requests none of the resource (the named one if absent), or null. */
    static String unrequestedContainer(Pod pod, String resource, String container) {
        List<Container> counted = counted(pod, container);
        if (container != null && counted.isEmpty()) {
            return container;
        }
        return counted.stream().filter(c -> requestOf(c, resource) == null).map(Container::getName).findFirst()
                .orElse(null);
    }

    private static List<Container> counted(Pod pod, String container) {
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(all::add);
        }
        return container == null ? all : all.stream().filter(c -> container.equals(c.getName())).toList();
    }

    private static Quantity requestOf(Container c, String resource) {
        return c.getResources() == null || c.getResources().getRequests() == null ? null
                : c.getResources().getRequests().get(resource);
    }
}
