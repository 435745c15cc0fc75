package io.kube4j.scheduler.testing;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test node builder: {@code Nodes.node("n1").cpu("4").memory("8Gi").build()}. */
public final class Nodes {
    private final String name;
    private final Map<String, Quantity> alloc = new LinkedHashMap<>();
    private final Map<String, String> labels = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private final List<ContainerImage> images = new ArrayList<>();
    private boolean unschedulable;

    private Nodes(String name) {
        this.name = name;
        alloc.put("cpu", new Quantity("4"));
        alloc.put("memory", new Quantity("8Gi"));
        alloc.put("pods", new Quantity("110"));
        labels.put("kubernetes.io/hostname", name);
    }

    public static Nodes node(String name) { return new Nodes(name); }

    public Nodes cpu(String q) { alloc.put("cpu", new Quantity(q)); return this; }
    public Nodes memory(String q) { alloc.put("memory", new Quantity(q)); return this; }
    public Nodes pods(int n) { alloc.put("pods", new Quantity(String.valueOf(n))); return this; }
    public Nodes resource(String name, String q) { alloc.put(name, new Quantity(q)); return this; }
    public Nodes label(String k, String v) { labels.put(k, v); return this; }
    public Nodes zone(String z) { return label("topology.kubernetes.io/zone", z); }
    public Nodes taint(String key, String value, String effect) { taints.add(new Taint(effect, key, null, value)); return this; }
    public Nodes unschedulable() { unschedulable = true; return this; }
    public Nodes image(long sizeBytes, String... names) { images.add(new ContainerImage(List.of(names), sizeBytes)); return this; }

    public Node build() {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).withUid("uid-" + name).endMetadata()
                .withNewSpec().withTaints(taints).withUnschedulable(unschedulable ? true : null).endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).withImages(images).endStatus()
                .build();
    }
}
