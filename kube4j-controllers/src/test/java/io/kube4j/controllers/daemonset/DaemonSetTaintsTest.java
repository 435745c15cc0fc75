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

/** Which taints keep a running daemon pod and which remove it. */
@EnableKubernetesMockClient(crud = true)
class DaemonSetTaintsTest {
    // a class of its own, with its own mock server: the mock's event loop can stall for up to a minute after a
    // closed manager's watches (WatchEventsListener.onClosed awaits its executor there), which failed the next test
    // sharing the server
    static KubernetesClient client;
    ControllerManager manager;

    @AfterEach
    void stop() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    private void node(String name, Map<String, String> labels, boolean tainted) {
        DaemonSetControllerTest.node(client, name, labels, tainted);
    }

    /** Upstream keeps a daemon pod through a NoSchedule taint (a kubelet restart's not-ready one too); NoExecute evicts it. */
    @Test
    void aNoScheduleTaintKeepsTheRunningPodAndANoExecuteOneRemovesIt() throws Exception {
        node("taint-node", Map.of("pool", "taint"), false);
        manager = TestManagers.start(client, "daemonset");
        client.apps().daemonSets().inNamespace("taint").resource(new DaemonSetBuilder().withNewMetadata().withName("agent")
                .endMetadata().withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "agent"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "agent")).endMetadata()
                .withNewSpec().withNodeSelector(Map.of("pool", "taint")).addNewContainer().withName("c").withImage("agent:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(taintPods()).hasSize(1));

        taint("NoSchedule");
        // the sync that saw the taint has finished once the status counts the pod as misscheduled
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(client.apps().daemonSets()
                .inNamespace("taint").withName("agent").get().getStatus().getNumberMisscheduled()).isEqualTo(1));
        assertThat(taintPods()).hasSize(1);

        taint("NoExecute");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(taintPods()).isEmpty());
    }

    private List<Pod> taintPods() {
        return client.pods().inNamespace("taint").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private void taint(String effect) throws Exception {
        Retry.onConflict(() -> client.nodes().withName("taint-node").edit(n -> new NodeBuilder(n).editSpec()
                .addNewTaint().withKey("dedicated-" + effect).withValue("x").withEffect(effect).endTaint().endSpec().build()));
    }
}
