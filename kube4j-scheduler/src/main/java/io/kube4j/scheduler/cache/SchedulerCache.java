package io.kube4j.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's view of nodes and the pods on them, fed by informers plus pods the scheduler has
 * assumed (placed but not yet seen bound). Snapshots are refreshed incrementally: only nodes changed
 * since the previous snapshot are copied.
 */
public final class SchedulerCache {
    private record PodState(PodInfo pod, String nodeName, boolean assumed) {}

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, PodState> pods = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    private boolean nodeSetChanged = true;
    private boolean imagesChanged = true;
    private long generation;
    private Snapshot snapshot;

    private static String key(Pod p) { return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(); }

    private NodeInfo nodeInfo(String name) {
        // Pods may be seen before their node; keep them on a node-less entry until the node arrives.
        return nodes.computeIfAbsent(name, n -> new NodeInfo());
    }

    private void touch(String nodeName) {
        NodeInfo ni = nodes.get(nodeName);
        if (ni != null) ni.setGeneration(++generation);
        dirty.add(nodeName);
    }

    public synchronized void addNode(Node node) {
        String name = node.getMetadata().getName();
        boolean existed = nodes.containsKey(name) && nodes.get(name).node() != null;
        nodeInfo(name).setNode(node);
        if (!existed) nodeSetChanged = true;
        imagesChanged = true;
        touch(name);
    }

    public synchronized void updateNode(Node node) { addNode(node); }

    public synchronized void removeNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo ni = nodes.get(name);
        if (ni == null) return;
        if (ni.pods().isEmpty()) {
            nodes.remove(name);
        } else {
            // Keep the pods accounted until their deletion is observed.
            NodeInfo ghost = new NodeInfo();
            for (PodInfo p : ni.pods()) ghost.addPod(p);
            nodes.put(name, ghost);
        }
        nodeSetChanged = true;
        imagesChanged = true;
        dirty.remove(name);
    }

    /** Places the pod on the node before binding so the next cycles see its resources in use. */
    public synchronized void assumePod(PodInfo pod, String nodeName) {
        if (pods.containsKey(pod.key())) throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
        nodeInfo(nodeName).addPod(pod);
        pods.put(pod.key(), new PodState(pod, nodeName, true));
        touch(nodeName);
    }

    /** Binding failed: undo {@link #assumePod}. */
    public synchronized void forgetPod(PodInfo pod) {
        PodState s = pods.get(pod.key());
        if (s == null || !s.assumed()) return;
        removeFromNode(s);
        pods.remove(pod.key());
    }

    /** Whether the pod is on a node in the cache (assumed or seen bound). */
    public synchronized boolean contains(String podKey) { return pods.containsKey(podKey); }

    public synchronized boolean isAssumed(String podKey) {
        PodState s = pods.get(podKey);
        return s != null && s.assumed();
    }

    /** An informer saw a bound pod: confirms an assumed pod or adds it. */
    public synchronized void addPod(Pod pod) {
        String k = key(pod);
        String node = pod.getSpec().getNodeName();
        PodState s = pods.get(k);
        PodInfo info = new PodInfo(pod);
        if (s != null) removeFromNode(s);
        nodeInfo(node).addPod(info);
        pods.put(k, new PodState(info, node, false));
        touch(node);
    }

    public synchronized void updatePod(Pod pod) { addPod(pod); }

    /**
     * An informer saw the binding of a pod this scheduler assumed: when it is the same pod (uid) on the node it was
     * assumed on, with the labels it was scheduled with, the assumed entry becomes a bound one as it is, with no new
     * PodInfo (nothing the plugins read of it differs). Returns false, changing nothing, when the caller must
     * {@link #addPod} the pod it saw instead.
     */
    public synchronized boolean confirm(String podKey, String uid, String nodeName, Map<String, String> labels) {
        PodState s = pods.get(podKey);
        if (s == null || !s.assumed() || !s.nodeName().equals(nodeName) || !java.util.Objects.equals(s.pod().uid(), uid)) return false;
        Map<String, String> had = s.pod().pod().getMetadata().getLabels();
        if (!(had == null ? Map.of() : had).equals(labels)) return false;
        pods.put(podKey, new PodState(s.pod(), nodeName, false));
        return true;
    }

    public synchronized void removePod(Pod pod) { removePod(key(pod)); }

    /** Removes the pod under {@code namespace/name}, assumed or bound. */
    public synchronized void removePod(String podKey) {
        PodState s = pods.remove(podKey);
        if (s != null) removeFromNode(s);
    }

    private void removeFromNode(PodState s) {
        NodeInfo ni = nodes.get(s.nodeName());
        if (ni == null) return;
        ni.removePod(s.pod());
        if (ni.node() == null && ni.pods().isEmpty()) {
            nodes.remove(s.nodeName());
            dirty.remove(s.nodeName());
            return;
        }
        touch(s.nodeName());
    }

    public synchronized int nodeCount() {
        int n = 0;
        for (NodeInfo ni : nodes.values()) if (ni.node() != null) n++;
        return n;
    }

    public synchronized int podCount() { return pods.size(); }

    /** The snapshot for the next cycle; the returned object is reused and refreshed in place by later calls. */
    public synchronized Snapshot updateSnapshot() {
        if (snapshot == null || nodeSetChanged) {
            List<NodeInfo> list = new ArrayList<>(nodes.size());
            for (NodeInfo ni : nodes.values()) if (ni.node() != null) list.add(ni.copy());
            list.sort((a, b) -> a.name().compareTo(b.name()));
            snapshot = new Snapshot(list);
            nodeSetChanged = false;
            imagesChanged = false;
            dirty.clear();
            return snapshot;
        }
        if (!dirty.isEmpty()) {
            boolean affinity = false;
            for (String name : dirty) {
                NodeInfo ni = nodes.get(name);
                if (ni == null || ni.node() == null) continue;
                NodeInfo old = snapshot.get(name);
                if (old != null && (!old.podsWithAffinity().isEmpty() || !old.podsWithRequiredAntiAffinity().isEmpty())) affinity = true;
                if (!ni.podsWithAffinity().isEmpty() || !ni.podsWithRequiredAntiAffinity().isEmpty()) affinity = true;
                snapshot.replace(ni.copy());
            }
            dirty.clear();
            if (affinity) snapshot.recomputeAffinityLists();
        }
        if (imagesChanged) {
            snapshot.recomputeImages();
            imagesChanged = false;
        }
        return snapshot;
    }
}
