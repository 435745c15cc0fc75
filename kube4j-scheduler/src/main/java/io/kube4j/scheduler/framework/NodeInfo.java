package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A node with the pods (bound or assumed) on it and their aggregated requests, ports and images. */
public final class NodeInfo {
    private Node node;
    private String name;
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
    }

    private NodeInfo(NodeInfo o) {
        node = o.node;
        name = o.name;
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
        this.imageSizes = images;
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

    public String label(String key) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    @Override public String toString() { return "NodeInfo{" + name + ", pods=" + pods.size() + ", requested=" + requested + "}"; }
}
