package io.kube4j.scheduler.plugins.defaultpreemption;

import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostFilterResult;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesFit;
import io.kube4j.scheduler.plugins.tainttoleration.TaintToleration;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import io.kube4j.scheduler.util.Selector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultPreemptionTest {
    private final List<Handle.DisruptionBudget> pdbs = new ArrayList<>();
    private final FrameworkImpl fw = new FrameworkImpl("default-scheduler", new Parallelizer(1), null, new ClusterListers() {
        @Override public List<Handle.DisruptionBudget> disruptionBudgets() { return pdbs; }
    });
    private final DefaultPreemption preemption = new DefaultPreemption(fw);

    DefaultPreemptionTest() {
        fw.add(new TaintToleration()).add(new NodeResourcesFit()).add(preemption);
    }

    private PostFilterResult run(PodInfo pod, NodeInfo... nodes) {
        fw.setSnapshot(Snapshot.of(nodes));
        CycleState state = new CycleState();
        fw.runPreFilterPlugins(state, pod);
        Map<String, Status> statuses = new HashMap<>();
        for (NodeInfo n : nodes) statuses.put(n.name(), fw.runFilterPlugins(state, pod, n));
        return fw.runPostFilterPlugins(state, pod, statuses);
    }

    @Test
    void picksTheNodeWithLowerPriorityVictims() {
        NodeInfo n1 = NodeInfo.of(Nodes.node("n1").cpu("2").build(), Pods.pod("low").priority(1).cpu("2").info());
        NodeInfo n2 = NodeInfo.of(Nodes.node("n2").cpu("2").build(), Pods.pod("mid").priority(5).cpu("2").info());
        PostFilterResult r = run(Pods.pod("urgent").priority(10).cpu("2").info(), n1, n2);
        assertThat(r.status().isSuccess()).isTrue();
        assertThat(r.nominatedNodeName()).isEqualTo("n1");
    }

    @Test
    void pdbViolationsAreAvoided() {
        pdbs.add(new Handle.DisruptionBudget("default", "protect-low", Selector.ofMap(Map.of("app", "low")), 0));
        NodeInfo n1 = NodeInfo.of(Nodes.node("n1").cpu("2").build(), Pods.pod("low").label("app", "low").priority(1).cpu("2").info());
        NodeInfo n2 = NodeInfo.of(Nodes.node("n2").cpu("2").build(), Pods.pod("mid").priority(5).cpu("2").info());
        assertThat(run(Pods.pod("urgent").priority(10).cpu("2").info(), n1, n2).nominatedNodeName()).isEqualTo("n2");
    }

    @Test
    void onlyTheNeededVictimsAreChosen() {
        NodeInfo n1 = NodeInfo.of(Nodes.node("n1").cpu("2").build(),
                Pods.pod("a").priority(2).cpu("1").info(), Pods.pod("b").priority(1).cpu("1").info());
        PodInfo urgent = Pods.pod("urgent").priority(10).cpu("1").info();
        fw.setSnapshot(Snapshot.of(n1));
        CycleState state = new CycleState();
        fw.runPreFilterPlugins(state, urgent);
        Map<String, Status> statuses = Map.of("n1", fw.runFilterPlugins(state, urgent, n1));
        List<DefaultPreemption.Candidate> cs = preemption.findCandidates(state, urgent, statuses, new HashMap<>());
        assertThat(cs).hasSize(1);
        assertThat(cs.get(0).victims()).extracting(PodInfo::name).containsExactly("b");
        // the dry run must not change the snapshot
        assertThat(n1.pods()).hasSize(2);
    }

    @Test
    void explainsWhenPreemptionCannotHelp() {
        NodeInfo tainted = NodeInfo.of(Nodes.node("t").taint("k", "v", "NoSchedule").build());
        NodeInfo equal = NodeInfo.of(Nodes.node("e").cpu("1").build(), Pods.pod("peer").priority(10).cpu("1").info());
        PostFilterResult r = run(Pods.pod("p").priority(10).cpu("1").info(), tainted, equal);
        assertThat(r.status().isSuccess()).isFalse();
        assertThat(r.status().message()).isEqualTo("preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    }

    @Test
    void preemptionPolicyNeverIsNotEligible() {
        NodeInfo n1 = NodeInfo.of(Nodes.node("n1").cpu("2").build(), Pods.pod("low").priority(1).cpu("2").info());
        PodInfo polite = Pods.pod("polite").priority(10).cpu("2").edit(b -> b.editSpec().withPreemptionPolicy("Never").endSpec()).info();
        PostFilterResult r = run(polite, n1);
        assertThat(r.status().isSuccess()).isFalse();
        assertThat(r.status().message()).isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
    }
}
