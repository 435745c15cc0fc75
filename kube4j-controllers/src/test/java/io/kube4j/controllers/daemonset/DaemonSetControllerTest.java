package io.kube4j.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.FakeKubelet;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.TestManagers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DaemonSetControllerTest {
    static KubernetesClient client;
    ControllerManager manager;
    FakeKubelet kubelet;

    @AfterEach
    void stop() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    private void node(String name, Map<String, String> labels, boolean tainted) {
        node(client, name, labels, tainted);
    }

    static void node(KubernetesClient client, String name, Map<String, String> labels, boolean tainted) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec().endSpec();
        if (tainted) {
            b.editSpec().addNewTaint().withKey("dedicated").withValue("db").withEffect("NoSchedule").endTaint().endSpec();
        }
        client.nodes().resource(b.build()).create();
    }

    private List<Pod> pods() {
        return client.pods().inNamespace("ns").withLabel("app", "agent").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static String pinnedNode(Pod p) {
        return p.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues().get(0);
    }

    @Test
    void onePodPerEligibleNodeAndRollingUpdate() throws Exception {
        node("linux-1", Map.of("os", "linux"), false);
        node("linux-2", Map.of("os", "linux"), false);
        node("tainted", Map.of("os", "linux"), true);
        node("windows", Map.of("os", "windows"), false);
        manager = TestManagers.start(client, "daemonset");
        client.apps().daemonSets().inNamespace("ns").resource(new DaemonSetBuilder().withNewMetadata().withName("agent")
                .withGeneration(1L).endMetadata().withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "agent"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "agent")).endMetadata()
                .withNewSpec().withNodeSelector(Map.of("os", "linux")).addNewContainer().withName("c").withImage("agent:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pods()).extracting(DaemonSetControllerTest::pinnedNode).containsExactlyInAnyOrder("linux-1", "linux-2"));
        assertThat(pods().get(0).getSpec().getTolerations())
                .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoExecute".equals(t.getEffect()));

        kubelet = new FakeKubelet(client);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            DaemonSet ds = client.apps().daemonSets().inNamespace("ns").withName("agent").get();
            assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(2);
            assertThat(ds.getStatus().getNumberAvailable()).isEqualTo(2);
            assertThat(ds.getStatus().getUpdatedNumberScheduled()).isEqualTo(2);
        });

        Retry.onConflict(() -> client.apps().daemonSets().inNamespace("ns").withName("agent").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("agent:2");
            return ds;
        }));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(pods()).hasSize(2).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("agent:2"));
            assertThat(client.apps().daemonSets().inNamespace("ns").withName("agent").get().getStatus()
                    .getNumberAvailable()).isEqualTo(2);
        });

        client.nodes().withName("linux-2").delete();
        node("linux-3", Map.of("os", "linux"), false);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pods()).extracting(DaemonSetControllerTest::pinnedNode).containsExactlyInAnyOrder("linux-1", "linux-3"));
    }
}
