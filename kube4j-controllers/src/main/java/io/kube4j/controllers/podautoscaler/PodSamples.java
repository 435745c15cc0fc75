package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
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

    static PodSample of(Pod pod, String resource, Map<String, Long> usage, Instant now) {
        return new PodSample(pod.getMetadata().getName(), state(pod, resource, now), usage.get(pod.getMetadata().getName()),
                request(pod, resource));
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

    /** The pod's summed request for the resource in milli-units; null if a container requests none. */
    static Long request(Pod pod, String resource) {
        long sum = 0;
        for (Container c : pod.getSpec().getContainers()) {
            Quantity q = c.getResources() == null || c.getResources().getRequests() == null ? null
                    : c.getResources().getRequests().get(resource);
            if (q == null) {
                return null;
            }
            sum += Quantities.milli(q);
        }
        return sum;
    }
}
