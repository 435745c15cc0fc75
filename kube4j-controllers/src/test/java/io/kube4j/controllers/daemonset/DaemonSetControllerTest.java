package io.kube4j.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.FakeKubelet;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.integration.ApiServerCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DaemonSet controller against a real kube4j API server (the fabric8 mock's event loop stalls for up to a
 * minute after a client closes a watch, which a controller with four informers met at every test's end).
 * Nothing schedules here: the controller pins each pod to its node with a node affinity, as upstream's does.
 */
class DaemonSetControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace("ns");
        cluster.startControllers(new ControllerManagerOptions(), "daemonset");
    }

    @Test
    void onePodPerEligibleNodeAndRollingUpdate() throws Exception {
        node("linux-1", Map.of("os", "linux"), false);
        node("linux-2", Map.of("os", "linux"), false);
        node("tainted", Map.of("os", "linux"), true);
        node("windows", Map.of("os", "windows"), false);
        create(Map.of("os", "linux"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pods()).extracting(DaemonSetControllerTest::pinnedNode).containsExactlyInAnyOrder("linux-1", "linux-2"));
        assertThat(pods().get(0).getSpec().getTolerations())
                .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoExecute".equals(t.getEffect()));

        try (FakeKubelet kubelet = new FakeKubelet(client)) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                DaemonSet ds = daemonSet();
                assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(2);
                assertThat(ds.getStatus().getNumberAvailable()).isEqualTo(2);
                assertThat(ds.getStatus().getUpdatedNumberScheduled()).isEqualTo(2);
            });

            setImage("agent:2");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(pods()).hasSize(2).allSatisfy(p ->
                        assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("agent:2"));
                assertThat(daemonSet().getStatus().getNumberAvailable()).isEqualTo(2);
            });

            client.nodes().withName("linux-2").delete();
            node("linux-3", Map.of("os", "linux"), false);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(pods()).extracting(DaemonSetControllerTest::pinnedNode).containsExactlyInAnyOrder("linux-1", "linux-3"));
        }
    }

    /** kubectl rollout history/undo of a DaemonSet read its ControllerRevisions, as upstream's controller keeps them. */
    @Test
    void eachTemplateIsARevisionAndARollbackRenumbersTheOneItReturnsTo() throws Exception {
        node("hist-node", Map.of(), false);
        create(Map.of());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(revisions()).hasSize(1).containsValue(1L));
        String first = revisions().keySet().iterator().next();
        var revision = client.apps().controllerRevisions().inNamespace("ns").withName(first).get();
        assertThat(revision.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("DaemonSet"));
        // what kubectl rollout undo patches back: the template replaced, the rest of the spec left alone
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) client.getKubernetesSerialization()
                .convertValue(revision.getData(), Map.class).get("spec");
        assertThat(spec).containsOnlyKeys("template");
        assertThat((Map<String, Object>) spec.get("template")).containsEntry("$patch", "replace");

        setImage("agent:2");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(revisions()).hasSize(2).containsEntry(first, 1L));
        setImage("agent:1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(revisions()).hasSize(2).containsEntry(first, 3L));
    }

    /** Upstream keeps a daemon pod through a NoSchedule taint (a kubelet restart's not-ready one too); NoExecute evicts it. */
    @Test
    void aNoScheduleTaintKeepsTheRunningPodAndANoExecuteOneRemovesIt() throws Exception {
        node("taint-node", Map.of("pool", "taint"), false);
        create(Map.of("pool", "taint"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pods()).hasSize(1));

        taint("NoSchedule");
        // the sync that saw the taint has finished once the status counts the pod as misscheduled
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(daemonSet().getStatus().getNumberMisscheduled()).isEqualTo(1));
        assertThat(pods()).hasSize(1);

        taint("NoExecute");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pods()).isEmpty());
    }

    private void node(String name, Map<String, String> labels, boolean tainted) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec().endSpec();
        if (tainted) {
            b.editSpec().addNewTaint().withKey("dedicated").withValue("db").withEffect("NoSchedule").endTaint().endSpec();
        }
        client.nodes().resource(b.build()).create();
    }

    private void create(Map<String, String> nodeSelector) {
        client.apps().daemonSets().inNamespace("ns").resource(new DaemonSetBuilder().withNewMetadata().withName("agent")
                .endMetadata().withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "agent"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "agent")).endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector).addNewContainer().withName("c").withImage("agent:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
    }

    private DaemonSet daemonSet() {
        return client.apps().daemonSets().inNamespace("ns").withName("agent").get();
    }

    private void setImage(String image) throws Exception {
        Retry.onConflict(() -> client.apps().daemonSets().inNamespace("ns").withName("agent").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            return ds;
        }));
    }

    private void taint(String effect) throws Exception {
        Retry.onConflict(() -> client.nodes().withName("taint-node").edit(n -> new NodeBuilder(n).editSpec()
                .addNewTaint().withKey("dedicated-" + effect).withValue("x").withEffect(effect).endTaint().endSpec().build()));
    }

    private List<Pod> pods() {
        return client.pods().inNamespace("ns").withLabel("app", "agent").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private Map<String, Long> revisions() {
        return client.apps().controllerRevisions().inNamespace("ns").withLabel("app", "agent").list().getItems().stream()
                .collect(Collectors.toMap(cr -> cr.getMetadata().getName(), cr -> cr.getRevision()));
    }

    private static String pinnedNode(Pod p) {
        return p.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues().get(0);
    }
}
