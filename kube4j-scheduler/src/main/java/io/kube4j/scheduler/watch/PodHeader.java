package io.kube4j.scheduler.watch;

import java.util.Map;

/**
 * What the scheduler decides on for every pod event, read from the event's JSON without building a Pod: identity,
 * placement, lifecycle and labels. Whether the full Pod is decoded at all is decided from these fields.
 *
 * @param labels metadata.labels, never null
 * @param gated  whether spec.schedulingGates is non-empty
 */
public record PodHeader(String namespace, String name, String uid, String resourceVersion, String nodeName,
                        String schedulerName, String phase, boolean deleting, boolean gated, Map<String, String> labels) {

    /** namespace/name, the key of the scheduler's cache and queue. */
    public String key() { return namespace + "/" + name; }

    /** Bound to a node (spec.nodeName set). */
    public boolean assigned() { return nodeName != null && !nodeName.isEmpty(); }

    /** Succeeded or Failed: the pod no longer holds node resources. */
    public boolean finished() { return "Succeeded".equals(phase) || "Failed".equals(phase); }
}
