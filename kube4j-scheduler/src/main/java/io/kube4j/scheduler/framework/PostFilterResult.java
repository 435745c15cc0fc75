package io.kube4j.scheduler.framework;

/** A PostFilter outcome: on success the node the pod was nominated to. */
public record PostFilterResult(String nominatedNodeName, Status status) {
    public static PostFilterResult of(Status status) { return new PostFilterResult(null, status); }
}
