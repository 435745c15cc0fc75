package io.kube4j.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An immutable-per-cycle view of the cluster: every node with its pods. */
public final class Snapshot {
    private final List<NodeInfo> nodes;
    private final Map<String, NodeInfo> byName;
    private List<NodeInfo> withAffinity;
    private List<NodeInfo> withRequiredAntiAffinity;
    /** normalized image name -> number of nodes that have it */
    private Map<String, Integer> imageNodeCounts;
    private final Map<String, Integer> indexByName;

    public Snapshot(List<NodeInfo> nodes) {
        this.nodes = new ArrayList<>(nodes);
        this.byName = new HashMap<>(nodes.size() * 2);
        this.indexByName = new HashMap<>(nodes.size() * 2);
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo n = nodes.get(i);
            byName.put(n.name(), n);
            indexByName.put(n.name(), i);
        }
        recomputeAffinityLists();
        recomputeImages();
    }

    /**
     * Replaces a node's entry in place (the cache refreshes only changed nodes between cycles, so a
     * cycle at thousands of nodes does not copy them all). Never call during a cycle.
     */
    public boolean replace(NodeInfo n) {
        Integer i = indexByName.get(n.name());
        if (i == null) return false;
        nodes.set(i, n);
        byName.put(n.name(), n);
        return true;
    }

    public void recomputeAffinityLists() {
        List<NodeInfo> a = new ArrayList<>();
        List<NodeInfo> aa = new ArrayList<>();
        for (NodeInfo n : nodes) {
            if (!n.podsWithAffinity().isEmpty()) a.add(n);
            if (!n.podsWithRequiredAntiAffinity().isEmpty()) aa.add(n);
        }
        withAffinity = a;
        withRequiredAntiAffinity = aa;
    }

    public void recomputeImages() {
        Map<String, Integer> m = new HashMap<>();
        for (NodeInfo n : nodes) for (String img : n.imageSizes().keySet()) m.merge(img, 1, Integer::sum);
        imageNodeCounts = m;
    }

    public static Snapshot of(NodeInfo... nodes) { return new Snapshot(List.of(nodes)); }

    public List<NodeInfo> nodes() { return nodes; }
    public NodeInfo get(String name) { return byName.get(name); }
    public int size() { return nodes.size(); }
    public List<NodeInfo> nodesWithAffinityPods() { return withAffinity; }
    public List<NodeInfo> nodesWithRequiredAntiAffinityPods() { return withRequiredAntiAffinity; }
    public int imageNodeCount(String normalizedImage) { return imageNodeCounts.getOrDefault(normalizedImage, 0); }
}
