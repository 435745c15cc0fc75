package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node with the pods (bound or assumed) on it and their aggregated requests, ports and images.
 *
 * <p>What the filters and scores read of the Node itself (labels, taints, spec.unschedulable, allocatable) is copied
 * into flat fields once per node add or update: a cycle at thousands of nodes reads them for every node it visits,
 * and walking Node -> metadata/spec -> map on each visit touched several cold objects per node.
 */
public final class NodeInfo {
    private Node node;
    private String name;
    /** metadata.labels, never null; immutable, shared by copies. */
    private Map<String, String> labels;
    /** spec.taints, never null; immutable, shared by copies. */
    private List<Taint> taints;
    /** The NoSchedule and NoExecute taints (the ones Filter must see tolerated), never null. */
    private List<Taint> hardTaints;
    private boolean unschedulable;
    private final List<PodInfo> pods;
    private final List<PodInfo> podsWithAffinity;
    private final List<PodInfo> podsWithRequiredAntiAffinity;
    private Resource requested;
    /** Requests with defaults for containers that set none; used by scoring only. */
    private long nonZeroMilliCpu;
    private long nonZeroMemory;
    private Resource allocatable;
    private final HostPortInfo usedPorts;
    /** image name (each of a node image's names) -> size in bytes */
    private Map<String, Long> imageSizes;
    private long generation;

    public NodeInfo() {
        pods = new ArrayList<>();
        podsWithAffinity = new ArrayList<>();
        podsWithRequiredAntiAffinity = new ArrayList<>();
        requested = new Resource();
        allocatable = new Resource();
        usedPorts = new HostPortInfo();
        imageSizes = Map.of();
        labels = Map.of();
        taints = List.of();
        hardTaints = List.of();
    }

    private NodeInfo(NodeInfo o) {
        node = o.node;
        name = o.name;
        labels = o.labels;
        taints = o.taints;
        hardTaints = o.hardTaints;
        unschedulable = o.unschedulable;
        pods = new ArrayList<>(o.pods);
        podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
        podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
        requested = o.requested.copy();
        nonZeroMilliCpu = o.nonZeroMilliCpu;
        nonZeroMemory = o.nonZeroMemory;
        allocatable = o.allocatable;
        usedPorts = o.usedPorts.copy();
        imageSizes = o.imageSizes;
        generation = o.generation;
    }

    public static NodeInfo of(Node node, PodInfo... pods) {
        NodeInfo ni = new NodeInfo();
        ni.setNode(node);
        for (PodInfo p : pods) ni.addPod(p);
        return ni;
    }

    public void setNode(Node node) {
        this.node = node;
        this.name = node.getMetadata().getName();
        Map<String, String> l = node.getMetadata().getLabels();
        this.labels = l == null || l.isEmpty() ? Map.of() : Map.copyOf(withoutNulls(l));
        NodeSpec spec = node.getSpec();
        this.unschedulable = spec != null && Boolean.TRUE.equals(spec.getUnschedulable());
        List<Taint> t = spec == null || spec.getTaints() == null ? List.of() : spec.getTaints();
        List<Taint> all = new ArrayList<>(t.size());
        List<Taint> hard = new ArrayList<>(t.size());
        for (Taint taint : t) {
            if (taint == null) continue;
            all.add(taint);
            if ("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect())) hard.add(taint);
        }
        this.taints = all.isEmpty() ? List.of() : List.copyOf(all);
        this.hardTaints = hard.isEmpty() ? List.of() : List.copyOf(hard);
        Map<String, Quantity> alloc = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        if ((alloc == null || alloc.isEmpty()) && node.getStatus() != null) alloc = node.getStatus().getCapacity();
        this.allocatable = Resource.fromList(alloc);
        Map<String, Long> images = new HashMap<>();
        if (node.getStatus() != null && node.getStatus().getImages() != null) {
            for (ContainerImage img : node.getStatus().getImages()) {
                if (img.getNames() == null) continue;
                long size = img.getSizeBytes() == null ? 0 : img.getSizeBytes();
                for (String n : img.getNames()) images.put(ImageNames.normalize(n), size);
            }
        }
        // Most nodes of a large cluster report no images to the scheduler's view; the shared empty map keeps them cheap.
        this.imageSizes = images.isEmpty() ? Map.of() : images;
    }

    /** Map.copyOf refuses null keys and values; a label with a null value (a malformed object) reads as absent. */
    private static Map<String, String> withoutNulls(Map<String, String> m) {
        // Iterates rather than asking containsKey(null): immutable maps throw on a null query.
        boolean clean = true;
        for (Map.Entry<String, String> e : m.entrySet()) if (e.getKey() == null || e.getValue() == null) { clean = false; break; }
        if (clean) return m;
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : m.entrySet()) if (e.getKey() != null && e.getValue() != null) out.put(e.getKey(), e.getValue());
        return out;
    }

    public void addPod(PodInfo p) {
        pods.add(p);
        if (p.hasAffinity()) podsWithAffinity.add(p);
        if (!p.requiredAntiAffinity().isEmpty()) podsWithRequiredAntiAffinity.add(p);
        requested.add(p.requests());
        nonZeroMilliCpu += p.nonZeroMilliCpu();
        nonZeroMemory += p.nonZeroMemory();
        for (ContainerPort port : p.hostPorts()) usedPorts.add(port.getHostIP(), port.getProtocol(), port.getHostPort());
    }

    /** Removes the pod with the same uid (or key when uids are absent); returns whether it was there. */
    public boolean removePod(PodInfo p) {
        int idx = indexOf(pods, p);
        if (idx < 0) return false;
        PodInfo old = pods.remove(idx);
        int a = indexOf(podsWithAffinity, old);
        if (a >= 0) podsWithAffinity.remove(a);
        int aa = indexOf(podsWithRequiredAntiAffinity, old);
        if (aa >= 0) podsWithRequiredAntiAffinity.remove(aa);
        requested.subtract(old.requests());
        nonZeroMilliCpu -= old.nonZeroMilliCpu();
        nonZeroMemory -= old.nonZeroMemory();
        for (ContainerPort port : old.hostPorts()) usedPorts.remove(port.getHostIP(), port.getProtocol(), port.getHostPort());
        return true;
    }

    private static int indexOf(List<PodInfo> list, PodInfo p) {
        String uid = p.uid();
        for (int i = 0; i < list.size(); i++) {
            PodInfo q = list.get(i);
            if (uid != null ? uid.equals(q.uid()) : p.key().equals(q.key())) return i;
        }
        return -1;
    }

    public NodeInfo copy() { return new NodeInfo(this); }

    public Node node() { return node; }
    public String name() { return name; }
    /** The node's labels (empty, never null, for a node-less entry). */
    public Map<String, String> labels() { return labels; }
    /** All of spec.taints. */
    public List<Taint> taints() { return taints; }
    /** The taints with effect NoSchedule or NoExecute, in spec order. */
    public List<Taint> hardTaints() { return hardTaints; }
    /** spec.unschedulable (a cordoned node). */
    public boolean unschedulable() { return unschedulable; }
    public List<PodInfo> pods() { return pods; }
    public List<PodInfo> podsWithAffinity() { return podsWithAffinity; }
    public List<PodInfo> podsWithRequiredAntiAffinity() { return podsWithRequiredAntiAffinity; }
    public Resource requested() { return requested; }
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public Resource allocatable() { return allocatable; }
    public HostPortInfo usedPorts() { return usedPorts; }
    public Map<String, Long> imageSizes() { return imageSizes; }
    public long generation() { return generation; }
    public void setGeneration(long g) { generation = g; }

    public String label(String key) { return key == null ? null : labels.get(key); }

    @Override public String toString() { return "NodeInfo{" + name + ", pods=" + pods.size() + ", requested=" + requested + "}"; }
}
