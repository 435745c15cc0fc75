package io.kube4j.proxy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy's NetworkPolicy inputs: pods and namespaces (kept trimmed) are read when a policy arrives, and a pod that
 * starts while a policy exists gets its rules. nft is a script that records each transaction instead of applying it.
 */
@EnableKubernetesMockClient(crud = true)
class ProxyPolicyInputsTest {

    static KubernetesClient client;

    private static Pod pod(String name, String ip) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
                .addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition().withType("Ready")
                .withStatus("True").endCondition().endStatus().build();
    }

    @Test
    void podsBeforeAndAfterAPolicyAreIsolated(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("transactions");
        Files.createFile(log);
        ProxyOptions options = ProxyOptions.defaults("node-a").withNodeIps(List.of("192.168.1.10"))
                .withConntrackCommand(List.of())
                .withNftCommand(List.of("sh", "-c", "cat >> '" + log + "'", "nft"));
        client.pods().resource(pod("early", "10.42.0.2")).create();
        try (Proxy proxy = Proxy.start(client, options)) {
            assertThat(Files.readString(log)).doesNotContain("10.42.0.2 : jump");

            client.network().v1().networkPolicies().resource(new NetworkPolicyBuilder().withNewMetadata()
                    .withName("deny").withNamespace("default").endMetadata()
                    .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build())
                    .create();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(Files.readString(log)).contains("10.42.0.2 : jump policy-ingress-"));

            client.pods().resource(pod("late", "10.42.0.3")).create();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(Files.readString(log)).contains("10.42.0.3 : jump policy-ingress-"));
        }
    }
}
