package io.kube4j.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The endpoints a Service's pods make, computed and then written by the EndpointSlice and Endpoints controllers on a
 * real kube4j API server (where a deleted pod on a node stays, terminating, until its kubelet confirms it stopped).
 */
class EndpointSliceControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace("ns");
    }

    static Pod pod(String name, String app, String ip, boolean ready, int httpPort, boolean terminating) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
                .withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("x")
                .addNewPort().withName("http").withContainerPort(httpPort).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (terminating) {
            b.editMetadata().withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata();
        }
        return b.build();
    }

    static Service service(String name, boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("svc-uid").endMetadata()
                .withNewSpec().withSelector(Map.of("app", name)).withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("web").withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build();
    }

    @Test
    void namedPortsResolvePerPodAndConditionsFollowReadiness() {
        Service svc = service("web", false);
        var groups = EndpointSliceController.desiredEndpoints(svc, List.of(
                pod("a", "web", "10.0.0.1", true, 8080, false),
                pod("b", "web", "10.0.0.2", false, 8080, false),
                pod("c", "web", "10.0.0.3", true, 9090, true)));
        assertThat(groups).hasSize(2);
        var g8080 = groups.entrySet().stream().filter(e -> e.getKey().ports().get(0).getPort() == 8080).findFirst().orElseThrow();
        assertThat(g8080.getValue()).extracting(e -> e.getAddresses().get(0)).containsExactly("10.0.0.1", "10.0.0.2");
        Endpoint notReady = g8080.getValue().get(1);
        assertThat(notReady.getConditions().getReady()).isFalse();
        assertThat(notReady.getConditions().getServing()).isFalse();
        var g9090 = groups.entrySet().stream().filter(e -> e.getKey().ports().get(0).getPort() == 9090).findFirst().orElseThrow();
        Endpoint terminating = g9090.getValue().get(0);
        assertThat(terminating.getConditions().getTerminating()).isTrue();
        assertThat(terminating.getConditions().getServing()).isTrue();
        assertThat(terminating.getConditions().getReady()).isFalse();
        assertThat(terminating.getTargetRef().getName()).isEqualTo("c");

        var published = EndpointSliceController.desiredEndpoints(service("web", true),
                List.of(pod("b", "web", "10.0.0.2", false, 8080, false)));
        assertThat(published.values().iterator().next().get(0).getConditions().getReady()).isTrue();
    }

    /** Creates the pod, then reports its status as its kubelet would: the API server drops a status sent on create. */
    private void runPod(Pod pod) {
        Pod created = client.pods().inNamespace("ns").resource(new PodBuilder(pod).withStatus(null).build()).create();
        client.pods().inNamespace("ns").resource(new PodBuilder(created).withStatus(pod.getStatus()).build())
                .updateStatus();
    }

    private List<EndpointSlice> slices(String service) {
        return client.discovery().v1().endpointSlices().inNamespace("ns")
                .withLabel(EndpointSliceController.SERVICE_NAME_LABEL, service).list().getItems();
    }

    @Test
    void slicesSplitAtOneHundredEndpointsAndEndpointsAreWritten() throws Exception {
        cluster.startControllers(new ControllerManagerOptions(), "endpointslice", "endpoints");
        for (int i = 0; i < 150; i++) {
            runPod(pod("p" + i, "big", "10.1." + (i / 250) + "." + (i % 250 + 1), true, 8080, false));
        }
        runPod(pod("slow", "big", "10.2.0.1", false, 8080, false));
        client.services().inNamespace("ns").resource(service("big", false)).create();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace("ns")
                    .withLabel(EndpointSliceController.SERVICE_NAME_LABEL, "big").list().getItems();
            assertThat(slices).hasSize(2);
            assertThat(slices.stream().mapToInt(s -> s.getEndpoints().size()).sum()).isEqualTo(151);
            assertThat(slices).allSatisfy(s -> {
                assertThat(s.getEndpoints().size()).isLessThanOrEqualTo(100);
                assertThat(s.getMetadata().getLabels()).containsEntry(EndpointSliceController.MANAGED_BY_LABEL,
                        EndpointSliceController.MANAGED_BY);
                assertThat(s.getAddressType()).isEqualTo("IPv4");
                assertThat(s.getPorts().get(0).getPort()).isEqualTo(8080);
                assertThat(s.getPorts().get(0).getName()).isEqualTo("web");
            });
            Endpoints ep = client.endpoints().inNamespace("ns").withName("big").get();
            assertThat(ep.getSubsets()).hasSize(1);
            assertThat(ep.getSubsets().get(0).getAddresses()).hasSize(150);
            assertThat(ep.getSubsets().get(0).getNotReadyAddresses()).hasSize(1);
        });

        for (int i = 0; i < 100; i++) {
            client.pods().inNamespace("ns").withName("p" + i).delete();
        }
        // Until their kubelet has stopped them the pods are terminating: still in the slices, marked so and not
        // ready; the Endpoints object drops them at once.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<Endpoint> endpoints = slices("big").stream().flatMap(s -> s.getEndpoints().stream()).toList();
            assertThat(endpoints).hasSize(151);
            assertThat(endpoints).filteredOn(e -> e.getConditions().getTerminating()).hasSize(100)
                    .allSatisfy(e -> assertThat(e.getConditions().getReady()).isFalse());
            Endpoints ep = client.endpoints().inNamespace("ns").withName("big").get();
            assertThat(ep.getSubsets().get(0).getAddresses()).hasSize(50);
            assertThat(ep.getSubsets().get(0).getNotReadyAddresses()).hasSize(1);
        });
        // the kubelet confirms: the pods go
        for (int i = 0; i < 100; i++) {
            client.pods().inNamespace("ns").withName("p" + i).withGracePeriod(0).delete();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<EndpointSlice> slices = slices("big");
            assertThat(slices).hasSize(1);
            assertThat(slices.get(0).getEndpoints()).hasSize(51);
        });
    }
}
