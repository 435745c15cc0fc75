package io.kube4j.apiserver.admission;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

import static io.kube4j.apiserver.admission.Pods.pod;
import static io.kube4j.apiserver.admission.Pods.withResources;
import static org.assertj.core.api.Assertions.assertThat;

/** What a pod is charged, as upstream's PodUsageFunc measures it. */
class QuotaUsageTest {

    private static Map<String, String> usage(ObjectNode pod) {
        Map<String, String> usage = new TreeMap<>();
        QuotaUsage.of("", "pods", pod).forEach((name, quantity) -> usage.put(name, quantity.toString()));
        return usage;
    }

    @Test
    void aRunningPodIsChargedItsCountAndItsComputeResources() {
        ObjectNode pod = withResources(pod("default", "p"), "100m", "200m");
        pod.putObject("status").put("phase", "Running");

        assertThat(usage(pod)).containsEntry("count/pods", "1").containsEntry("pods", "1")
                .containsEntry("requests.cpu", "100m").containsEntry("limits.cpu", "200m");
    }

    @Test
    void aFinishedPodIsStillCountedAsStoredButChargedNothingElse() {
        ObjectNode pod = withResources(pod("default", "p"), "100m", "200m");
        pod.putObject("status").put("phase", "Failed");

        assertThat(usage(pod)).containsExactly(Map.entry("count/pods", "1"));
    }
}
