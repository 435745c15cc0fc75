package io.kube4j.scheduler;

import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.profile.ProfileBuilder;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The default profile end to end over a cache, without an API server. */
class SchedulingAlgorithmTest {
    private final Parallelizer par = new Parallelizer(2);
    private final SchedulerCache cache = new SchedulerCache();
    private final NominatedPods nominated = new NominatedPods();
    private final FrameworkImpl fw = ProfileBuilder.build(SchedulerConfiguration.defaults().profiles().get(0), par, null, ClusterListers.EMPTY);
    private final SchedulingAlgorithm algo = new SchedulingAlgorithm(par, nominated);

    @AfterEach
    void close() { par.close(); }

    private SchedulingAlgorithm.Result schedule(PodInfo pod) {
        Snapshot s = cache.updateSnapshot();
        fw.setSnapshot(s);
        return algo.schedulePod(fw, new CycleState(), pod, s, 0);
    }

    @Test
    void leastAllocatedSpreadsPodsAcrossEqualNodes() {
        for (int i = 0; i < 4; i++) cache.addNode(Nodes.node("n" + i).cpu("4").memory("8Gi").build());
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            PodInfo p = Pods.pod("p" + i).cpu("500m").memory("512Mi").info();
            String host = schedule(p).host();
            cache.assumePod(p, host);
            perNode.merge(host, 1, Integer::sum);
        }
        assertThat(perNode).hasSize(4).allSatisfy((n, c) -> assertThat(c).isEqualTo(2));
    }

    @Test
    void preferPreferNoScheduleFreeNodesAndHonourRequiredRules() {
        cache.addNode(Nodes.node("tainted").taint("soft", "x", "PreferNoSchedule").build());
        cache.addNode(Nodes.node("clean").build());
        cache.addNode(Nodes.node("gpu").label("accel", "gpu").taint("gpu", "true", "NoSchedule").build());
        assertThat(schedule(Pods.pod("p").info()).host()).isEqualTo("clean");
        PodInfo gpuPod = Pods.pod("g").tolerate("gpu", "Exists", null, "NoSchedule")
                .edit(b -> b.editSpec().withNodeSelector(Map.of("accel", "gpu")).endSpec()).info();
        assertThat(schedule(gpuPod).host()).isEqualTo("gpu");
    }

    @Test
    void nominatedHigherPriorityPodsKeepTheirRoom() {
        cache.addNode(Nodes.node("only").cpu("2").build());
        nominated.nominate(Pods.pod("preemptor").priority(100).cpu("2").info(), "only");
        SchedulingAlgorithm.Result r = schedule(Pods.pod("late").priority(1).cpu("1").info());
        assertThat(r.host()).isNull();
        assertThat(r.nodeStatuses().get("only").reasons()).containsExactly("Insufficient cpu");
        // the preemptor itself, or a pod of higher priority, is not blocked by the nomination
        assertThat(schedule(Pods.pod("preemptor").priority(100).cpu("2").info()).host()).isEqualTo("only");
        nominated.remove("default/preemptor");
        assertThat(schedule(Pods.pod("late").priority(1).cpu("1").info()).host()).isEqualTo("only");
    }

    @Test
    void preFilterRejectionAppliesToEveryNode() {
        cache.addNode(Nodes.node("a").build());
        cache.addNode(Nodes.node("b").build());
        PodInfo pod = Pods.pod("p").edit(b -> b.editSpec().addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("missing")
                .endPersistentVolumeClaim().endVolume().endSpec()).info();
        SchedulingAlgorithm.Result r = schedule(pod);
        assertThat(r.host()).isNull();
        assertThat(r.preFilterStatus().message()).isEqualTo("persistentvolumeclaim \"missing\" not found");
        assertThat(r.nodeStatuses()).containsOnlyKeys("a", "b");
    }
}
