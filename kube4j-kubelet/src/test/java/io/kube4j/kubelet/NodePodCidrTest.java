package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node IPAM sets a Node's spec.podCIDR after the kubelet registered it; the kubelet passes it on to the runtime
 * (CRI UpdateRuntimeConfig), which hands out no pod address before.
 */
class NodePodCidrTest {
    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create();

    @Test
    void aPodCidrAssignedAfterRegistrationReachesTheRuntime() {
        KubernetesClient client = harness.client;
        FakeRuntime runtime = harness.runtime;
        harness.startKubelet(harness.fastNode("node-c"));
        await().atMost(Duration.ofSeconds(20)).until(() -> client.nodes().withName("node-c").get() != null);
        // a few unchanged status ticks: nothing to pass on yet
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(runtime.podCidr).isNull();

        Node assigned = client.nodes().withName("node-c").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"10.42.7.0/24\",\"podCIDRs\":[\"10.42.7.0/24\"]}}");
        assertThat(assigned.getSpec().getPodCIDR()).isEqualTo("10.42.7.0/24");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(runtime.podCidr).isEqualTo("10.42.7.0/24"));
    }
}
