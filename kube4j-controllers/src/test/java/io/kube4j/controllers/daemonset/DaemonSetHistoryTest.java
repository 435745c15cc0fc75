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

/** kubectl rollout history and undo of a DaemonSet: its ControllerRevisions. */
@EnableKubernetesMockClient(crud = true)
class DaemonSetHistoryTest {
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

    private Map<String, Long> revisions() {
        return client.apps().controllerRevisions().inNamespace("hist").withLabel("app", "agent").list().getItems().stream()
                .collect(java.util.stream.Collectors.toMap(cr -> cr.getMetadata().getName(), cr -> cr.getRevision()));
    }

    private void setImage(String image) throws Exception {
        Retry.onConflict(() -> client.apps().daemonSets().inNamespace("hist").withName("agent").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            return ds;
        }));
    }

    /** kubectl rollout history/undo of a DaemonSet read its ControllerRevisions, as upstream's controller keeps them. */
    @Test
    void eachTemplateIsARevisionAndARollbackRenumbersTheOneItReturnsTo() throws Exception {
        node("hist-node", Map.of(), false);
        manager = TestManagers.start(client, "daemonset");
        client.apps().daemonSets().inNamespace("hist").resource(new DaemonSetBuilder().withNewMetadata().withName("agent")
                .endMetadata().withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "agent"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "agent")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("agent:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(revisions()).hasSize(1).containsValue(1L));
        String first = revisions().keySet().iterator().next();
        var revision = client.apps().controllerRevisions().inNamespace("hist").withName(first).get();
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
}
