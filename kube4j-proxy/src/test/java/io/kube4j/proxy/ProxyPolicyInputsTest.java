package io.kube4j.proxy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy's NetworkPolicy inputs: pods and namespaces (kept trimmed) are read when a policy arrives, and a pod that
 * starts while a policy exists gets its rules. nft is a script that records each transaction instead of applying it.
 */
@EnableKubernetesMockClient(crud = true)
class ProxyPolicyInputsTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static Pod pod(String name, String ip) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
                .addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition().withType("Ready")
                .withStatus("True").endCondition().endStatus().build();
    }

    /** Without a policy no pod is watched: every status change of every pod would be decoded for nothing. */
    @Test
    void podsAreWatchedOnlyWhileAPolicyExists(@TempDir Path dir) throws Exception {
        ProxyOptions options = ProxyOptions.defaults("node-a").withNodeIps(List.of("192.168.1.10"))
                .withConntrackCommand(List.of()).withNftCommand(List.of("sh", "-c", "cat > /dev/null", "nft"));
        client.network().v1().networkPolicies().inAnyNamespace().delete(); // the other test's
        requests();
        try (Proxy proxy = Proxy.start(client, options)) {
            assertThat(requests()).noneMatch(p -> p.startsWith("/api/v1/pods") || p.startsWith("/api/v1/namespaces?"));

            client.network().v1().networkPolicies().resource(policy("first")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(requests())
                    .anyMatch(p -> p.startsWith("/api/v1/pods") && p.contains("watch=true")));

            // the last policy gone, the pods are let go: the next policy lists them afresh
            client.network().v1().networkPolicies().inNamespace("default").withName("first").delete();
            long syncs = proxy.syncCount();
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.syncCount() > syncs);
            requests();
            client.network().v1().networkPolicies().resource(policy("second")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(requests())
                    .anyMatch(p -> p.startsWith("/api/v1/pods") && !p.contains("watch=true")));
        } finally {
            client.network().v1().networkPolicies().inAnyNamespace().delete();
        }
    }

    private static NetworkPolicy policy(String name) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
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
