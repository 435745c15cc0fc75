package io.kube4j.scheduler.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.util.Selector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Handle over a hand-built snapshot. */
public final class FakeHandle implements Handle {
    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    private Snapshot snapshot = new Snapshot(List.of());
    public final List<Selector> ownerSelectors = new ArrayList<>();
    public final List<DisruptionBudget> budgets = new ArrayList<>();
    private final Parallelizer parallelizer = new Parallelizer(1);

    public FakeHandle node(Node n) {
        nodes.put(n.getMetadata().getName(), NodeInfo.of(n));
        snapshot = new Snapshot(new ArrayList<>(nodes.values()));
        return this;
    }

    /** Places an existing pod on a node of the snapshot. */
    public FakeHandle pod(String nodeName, Pod p) {
        nodes.get(nodeName).addPod(new PodInfo(p));
        snapshot = new Snapshot(new ArrayList<>(nodes.values()));
        return this;
    }

    public NodeInfo nodeInfo(String name) { return nodes.get(name); }

    @Override public Snapshot snapshot() { return snapshot; }
    @Override public Parallelizer parallelizer() { return parallelizer; }
    @Override public KubernetesClient client() { return null; }
    @Override public Framework framework() { return null; }
    @Override public List<Selector> ownerSelectors(Pod pod) {
        List<Selector> out = new ArrayList<>();
        for (Selector s : ownerSelectors) if (s.matches(pod.getMetadata().getLabels())) out.add(s);
        return out;
    }
    @Override public List<DisruptionBudget> disruptionBudgets() { return budgets; }
}
