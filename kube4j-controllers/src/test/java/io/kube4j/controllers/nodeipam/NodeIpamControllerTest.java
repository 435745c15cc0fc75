package io.kube4j.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Syncs of one node over an informer cache that has not caught up with the controller's own patch (the informers
 * are stopped after their first list): the state a heartbeat or the patch's own update event finds it in.
 */
@EnableKubernetesMockClient(crud = true)
class NodeIpamControllerTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    Informers informers;
    ExecutorService apiCalls;
    NodeIpamController controller;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        informers = new Informers(client.informers(), Duration.ZERO);
        apiCalls = Executors.newCachedThreadPool();
        EventRecorder recorder = (object, type, reason, message) -> events.add(object.getMetadata().getName() + " " + reason);
        controller = new NodeIpamController(new ControllerContext(client, informers, c -> recorder,
                new ControllerManagerOptions().clusterCidr("10.42.0.0/16").nodeCidrMaskSize(24), apiCalls));
    }

    @AfterEach
    void stop() {
        controller.close();
        informers.stop();
        apiCalls.shutdownNow();
        client.nodes().delete();
    }

    @Test
    void aNodeIsAssignedItsRangeOnceWhileTheCacheLags() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
        informers.startAndWaitForSync(Duration.ofSeconds(10));
        informers.stop();

        controller.sync("n1");
        String assigned = client.nodes().withName("n1").get().getSpec().getPodCIDR();
        assertThat(assigned).isEqualTo("10.42.0.0/24");
        // the cache still shows n1 without a range
        assertThat(informers.get(Node.class, "n1").getSpec()).isNull();
        int requests = server.getRequestCount();
        controller.sync("n1");
        controller.sync("n1");
        assertThat(server.getRequestCount()).as("no second patch").isEqualTo(requests);

        // as upstream's range allocator, a range assigned is no event (describe node shows none)
        assertThat(events).isEmpty();
        assertThat(client.nodes().withName("n1").get().getSpec().getPodCIDR()).isEqualTo(assigned);
    }

    /** Only a node left without a range is an event, upstream's CIDRNotAvailable. */
    @Test
    void aNodeWithoutARangeLeftIsTheOnlyEvent() throws Exception {
        EventRecorder recorder = (object, type, reason, message) -> events.add(object.getMetadata().getName() + " " + reason);
        NodeIpamController full = new NodeIpamController(new ControllerContext(client, informers, c -> recorder,
                new ControllerManagerOptions().clusterCidr("10.42.0.0/24").nodeCidrMaskSize(24), apiCalls));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("f1").endMetadata().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("f2").endMetadata().build()).create();
        informers.startAndWaitForSync(Duration.ofSeconds(10));
        informers.stop();

        full.sync("f1");
        assertThat(events).isEmpty();
        assertThatThrownBy(() -> full.sync("f2")).isInstanceOf(IllegalStateException.class);
        assertThat(events).containsExactly("f2 CIDRNotAvailable");
        full.close();
    }
}
