package io.kube4j.scheduler;

import io.kube4j.scheduler.framework.PodInfo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Pods nominated to a node by preemption and not yet bound (written by informers and the loop). */
public final class NominatedPods {
    private final Map<String, Map<String, PodInfo>> byNode = new ConcurrentHashMap<>();
    private final Map<String, String> nodeOf = new ConcurrentHashMap<>();

    public void nominate(PodInfo p, String node) {
        String old = nodeOf.get(p.key());
        if (old != null && !old.equals(node)) remove(p.key());
        byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>()).put(p.key(), p);
        nodeOf.put(p.key(), node);
    }

    public void remove(String podKey) {
        String node = nodeOf.remove(podKey);
        if (node == null) return;
        Map<String, PodInfo> m = byNode.get(node);
        if (m != null) {
            m.remove(podKey);
            if (m.isEmpty()) byNode.remove(node, Map.of());
        }
    }

    /** Pods nominated to the node, or null. */
    public Map<String, PodInfo> onNode(String node) {
        return byNode.isEmpty() ? null : byNode.get(node);
    }
}
