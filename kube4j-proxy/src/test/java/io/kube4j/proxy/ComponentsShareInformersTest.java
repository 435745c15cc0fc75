package io.kube4j.proxy;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kube4j.proxy.dns.ClusterDns;
import io.kube4j.proxy.dns.DnsOptions;
import io.kube4j.proxy.lb.LoadBalancerStatusController;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Components of one JVM that read the same resource through the same client share one informer: cluster DNS and the
 * load balancer status both read every Service, through one list and one watch, and either may stop first.
 */
@EnableKubernetesMockClient(crud = true)
class ComponentsShareInformersTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    @Test
    void dnsAndTheLoadBalancerStatusWatchServicesOnceAndTheLoadBalancerOutlivesDns() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.11").endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        requests();
        try (LoadBalancerStatusController ignored = LoadBalancerStatusController.start(client)) {
            ClusterDns dns = ClusterDns.start(client, DnsOptions.defaults().withBind("127.0.0.1", 0)
                    .withUpstreams(List.of()));
            try (dns) {
                assertThat(requests()).filteredOn(p -> p.startsWith("/api/v1/services") && p.contains("watch=true"))
                        .hasSize(1);
            }
            // DNS gave its lease up: the load balancer status is still told of new Services
            client.services().resource(loadBalancer("lb")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Service svc = client.services().inNamespace("default").withName("lb").get();
                assertThat(svc.getStatus().getLoadBalancer().getIngress()).extracting(LoadBalancerIngress::getIp)
                        .containsExactly("192.168.1.11");
            });
        }
    }

    private static Service loadBalancer(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType("LoadBalancer").withClusterIP("10.43.0.9")
                .addNewPort().withPort(80).withNodePort(30001).endPort().endSpec().build();
    }

    /** The paths of the requests the server took since the last call. */
    private static List<String> requests() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            paths.add(r.getPath());
        }
        return paths;
    }
}
