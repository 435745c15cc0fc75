package io.kube4j.controllers.podautoscaler;

/**
 * One target pod as the replica calculator sees it: whether it counts, its metric (null when the metrics
 * API returned none for it) and its request for the resource in milli-units (null when a container it counts
 * requests none, which matters only for utilization targets; {@code unrequestedIn} then names that container).
 */
public record PodSample(String name, State state, Long usage, Long request, String unrequestedIn) {

    public PodSample(String name, State state, Long usage, Long request) {
        this(name, state, usage, request, null);
    }

    /** How upstream's groupPods sorts a pod before the metric is looked at. */
    public enum State {
        /** Running and ready: its metric counts as it is. */
        READY,
        /** Pending, or (for CPU) not ready yet: counted as 0 only when that would not stop a scale-up. */
        UNREADY,
        /** Being deleted, failed or succeeded: left out entirely. */
        IGNORED
    }

    public static PodSample ready(String name, long usage, long request) {
        return new PodSample(name, State.READY, usage, request);
    }
}
