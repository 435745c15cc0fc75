package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each placement rule decides where a pod lands, through kube4j's API server and the real pods/binding
 * subresource. In every test the node that the rule forbids is the one scoring would otherwise prefer
 * (bigger, emptier), so a scheduler ignoring the rule picks the wrong node.
 */
class PlacementTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();

    private String awaitBound(String pod) {
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodeOf(pod) != null);
        return cluster.nodeOf(pod);
    }

    @Test
    void resourcesPickTheNodeWherePodFits() {
        cluster.create(Nodes.node("small").cpu("1").build());
        cluster.create(Nodes.node("big").cpu("8").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("web").cpu("2").build());
        assertThat(awaitBound("web")).isEqualTo("big");
    }

    @Test
    void extendedResourcesAreRequests() {
        cluster.create(Nodes.node("plain").cpu("16").build());
        cluster.create(Nodes.node("gpu").cpu("2").resource("example.com/gpu", "2").build());
        cluster.startScheduler();
        // Extended resources cannot be overcommitted: upstream validation wants limits equal to requests.
        cluster.create(Pods.pod("train").request("example.com/gpu", "1").edit(b -> b.editSpec().editFirstContainer()
                .editResources().withLimits(Map.of("example.com/gpu", new Quantity("1"))).endResources()
                .endContainer().endSpec()).build());
        assertThat(awaitBound("train")).isEqualTo("gpu");
    }

    @Test
    void leastAllocatedSpreadsOverEmptierNodes() {
        cluster.create(Nodes.node("busy").cpu("4").build());
        cluster.create(Nodes.node("idle").cpu("4").build());
        cluster.create(Pods.pod("existing").cpu("3").nodeName("busy").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("new").cpu("500m").build());
        assertThat(awaitBound("new")).isEqualTo("idle");
    }

    @Test
    void nodeSelectorRestrictsNodes() {
        cluster.create(Nodes.node("hdd").cpu("16").label("disk", "hdd").build());
        cluster.create(Nodes.node("ssd").cpu("2").label("disk", "ssd").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("db").edit(b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd")).endSpec()).build());
        assertThat(awaitBound("db")).isEqualTo("ssd");
    }

    @Test
    void requiredNodeAffinityRestrictsNodes() {
        cluster.create(Nodes.node("a1").cpu("16").zone("zone-a").build());
        cluster.create(Nodes.node("b1").cpu("2").zone("zone-b").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("p").edit(b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("topology.kubernetes.io/zone")
                        .withOperator("In").withValues("zone-b").build())
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec()).build());
        assertThat(awaitBound("p")).isEqualTo("b1");
    }

    @Test
    void preferredNodeAffinityOutweighsResources() {
        cluster.create(Nodes.node("roomy").cpu("16").build());
        cluster.create(Nodes.node("fast").cpu("4").label("cpu", "fast").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("p").cpu("100m").edit(b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100).withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("cpu").withOperator("In").withValues("fast").build())
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec()).build());
        assertThat(awaitBound("p")).isEqualTo("fast");
    }

    @Test
    void untoleratedTaintKeepsPodsOff() {
        cluster.create(Nodes.node("infra").cpu("16").taint("dedicated", "infra", "NoSchedule").build());
        cluster.create(Nodes.node("worker").cpu("2").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("app").build());
        assertThat(awaitBound("app")).isEqualTo("worker");
    }

    @Test
    void tolerationLetsPodsOnATaintedNode() {
        cluster.create(Nodes.node("infra").cpu("2").taint("dedicated", "infra", "NoSchedule").build());
        cluster.create(Nodes.node("gpu").cpu("16").taint("dedicated", "gpu", "NoSchedule").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("agent").tolerate("dedicated", "Equal", "infra", "NoSchedule").build());
        assertThat(awaitBound("agent")).isEqualTo("infra");
    }

    @Test
    void topologySpreadFillsTheEmptiestZone() {
        cluster.create(Nodes.node("a1").cpu("16").zone("zone-a").build());
        cluster.create(Nodes.node("b1").cpu("16").zone("zone-b").build());
        cluster.create(Nodes.node("c1").cpu("2").zone("zone-c").build());
        cluster.create(Pods.pod("web-0").label("app", "web").nodeName("a1").build());
        cluster.create(Pods.pod("web-1").label("app", "web").nodeName("b1").build());
        cluster.create(Pods.pod("web-2").label("app", "web").nodeName("a1").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("web-3").label("app", "web").edit(b -> b.editSpec().withTopologySpreadConstraints(
                new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("topology.kubernetes.io/zone")
                        .withWhenUnsatisfiable("DoNotSchedule")
                        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build()).build())
                .endSpec()).build());
        assertThat(awaitBound("web-3")).isEqualTo("c1");
    }

    @Test
    void podAntiAffinityKeepsReplicasApart() {
        cluster.create(Nodes.node("n1").cpu("16").build());
        cluster.create(Nodes.node("n2").cpu("2").build());
        cluster.create(Pods.pod("db-0").label("app", "db").nodeName("n1").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("db-1").label("app", "db").edit(b -> b.editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
                        .withTopologyKey("kubernetes.io/hostname")
                        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "db")).build()).build())
                .endPodAntiAffinity().endAffinity().endSpec()).build());
        assertThat(awaitBound("db-1")).isEqualTo("n2");
    }

    @Test
    void podAffinityBringsPodsTogether() {
        cluster.create(Nodes.node("n1").cpu("16").build());
        cluster.create(Nodes.node("n2").cpu("2").build());
        cluster.create(Pods.pod("cache").label("app", "cache").nodeName("n2").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("web").edit(b -> b.editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
                        .withTopologyKey("kubernetes.io/hostname")
                        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "cache")).build()).build())
                .endPodAffinity().endAffinity().endSpec()).build());
        assertThat(awaitBound("web")).isEqualTo("n2");
    }

    @Test
    void hostPortInUseExcludesTheNode() {
        cluster.create(Nodes.node("n1").cpu("16").build());
        cluster.create(Nodes.node("n2").cpu("2").build());
        cluster.create(Pods.pod("ingress-0").hostPort(8080, "TCP", null).nodeName("n1").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("ingress-1").hostPort(8080, "TCP", null).build());
        assertThat(awaitBound("ingress-1")).isEqualTo("n2");
    }

    @Test
    void unschedulableNodeIsSkipped() {
        cluster.create(Nodes.node("cordoned").cpu("16").unschedulable().build());
        cluster.create(Nodes.node("open").cpu("2").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("p").build());
        assertThat(awaitBound("p")).isEqualTo("open");
    }
}
