package io.kube4j.proxy.lb;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.proxy.cache.Trimmed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class LoadBalancerStatusControllerTest {

    static KubernetesClient client;

    @Test
    void theSharedTrimmedNodesGiveTheAddressesOfTheWholeOnes() {
        List<Node> nodes = List.of(
                node("n1", "True").build(),
                node("n2", "False").build(),
                node("n3", "True").editStatus().addNewAddress().withType("ExternalIP").withAddress("203.0.113.3")
                        .endAddress().endStatus().build());

        List<String> whole = LoadBalancerStatusController.nodeAddresses(nodes);

        assertThat(whole).containsExactly("192.168.1.n1", "203.0.113.3");
        assertThat(LoadBalancerStatusController.nodeAddresses(nodes.stream().map(Trimmed::node).toList()))
                .isEqualTo(whole);
    }

    private static NodeBuilder node(String name, String ready) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1." + name).endAddress()
                .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
                .withLastHeartbeatTime("2026-01-01T00:00:00Z").endCondition().endStatus();
    }

    @Test
    void loadBalancerServicesGetTheReadyNodesAddresses() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.11").endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n2").endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.12").endAddress()
                .addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build()).create();
        client.services().resource(new ServiceBuilder().withNewMetadata().withName("lb").withNamespace("default")
                .endMetadata().withNewSpec().withType("LoadBalancer").withClusterIP("10.43.0.9")
                .addNewPort().withPort(80).withNodePort(30001).endPort().endSpec().build()).create();
        client.services().resource(new ServiceBuilder().withNewMetadata().withName("other").withNamespace("default")
                .endMetadata().withNewSpec().withType("LoadBalancer").withLoadBalancerClass("example.com/lb")
                .withClusterIP("10.43.0.8").addNewPort().withPort(80).withNodePort(30002).endPort().endSpec().build())
                .create();
        try (LoadBalancerStatusController ignored = LoadBalancerStatusController.start(client)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var svc = client.services().inNamespace("default").withName("lb").get();
                assertThat(svc.getStatus()).isNotNull();
                assertThat(svc.getStatus().getLoadBalancer()).isNotNull();
                assertThat(svc.getStatus().getLoadBalancer().getIngress()).extracting(LoadBalancerIngress::getIp)
                        .containsExactly("192.168.1.11");
            });
            var other = client.services().inNamespace("default").withName("other").get();
            assertThat(other.getStatus() == null || other.getStatus().getLoadBalancer() == null
                    || other.getStatus().getLoadBalancer().getIngress() == null
                    || other.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();
        }
    }
}
