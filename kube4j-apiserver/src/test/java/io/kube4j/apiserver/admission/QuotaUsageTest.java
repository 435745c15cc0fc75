package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
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

    @Test
    void scopesAreUpstreamsPodScopesAndCoverNoOtherKind() {
        JsonNode cross = json("{\"spec\":{\"containers\":[{\"name\":\"c\"}],\"affinity\":{\"podAffinity\":"
                + "{\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":1,\"podAffinityTerm\":"
                + "{\"topologyKey\":\"k\",\"namespaceSelector\":{}}}]}}}}");
        JsonNode high = json("{\"spec\":{\"priorityClassName\":\"high\",\"containers\":[{\"name\":\"c\","
                + "\"resources\":{\"requests\":{\"cpu\":\"0\"}}}]}}");
        JsonNode crossQuota = json("{\"spec\":{\"scopes\":[\"CrossNamespacePodAffinity\"]}}");
        JsonNode classQuota = json("{\"spec\":{\"scopes\":[\"PriorityClass\"]}}");
        JsonNode bestEffortQuota = json("{\"spec\":{\"scopes\":[\"BestEffort\"]}}");

        assertThat(QuotaUsage.inScope(crossQuota, "", "pods", cross)).isTrue();
        assertThat(QuotaUsage.inScope(crossQuota, "", "pods", high)).isFalse();
        // PriorityClass among spec.scopes is "has a priority class" (an Exists requirement)
        assertThat(QuotaUsage.inScope(classQuota, "", "pods", high)).isTrue();
        assertThat(QuotaUsage.inScope(classQuota, "", "pods", cross)).isFalse();
        // a zero cpu request leaves the pod BestEffort, as its QoS class says
        assertThat(QuotaUsage.inScope(bestEffortQuota, "", "pods", high)).isTrue();
        assertThat(QuotaUsage.inScope(bestEffortQuota, "", "configmaps", json("{}"))).isFalse();
    }

    @Test
    void aClaimOfAClassCountsForItsClassEvenWithoutAStorageRequest() {
        Map<String, String> usage = new TreeMap<>();
        QuotaUsage.of("", "persistentvolumeclaims", json("{\"spec\":{\"storageClassName\":\"fast\"}}"))
                .forEach((name, quantity) -> usage.put(name, quantity.toString()));

        assertThat(usage).containsEntry("fast.storageclass.storage.k8s.io/persistentvolumeclaims", "1")
                .doesNotContainKey("requests.storage");
    }

    @Test
    void extendedResourcesAreChargedOnlyAsRequests() {
        ObjectNode pod = pod("default", "p");
        ObjectNode resources = ((ObjectNode) pod.path("spec").path("containers").get(0)).putObject("resources");
        resources.putObject("requests").put("example.com/gpu", "2");
        resources.putObject("limits").put("example.com/gpu", "2");

        assertThat(usage(pod)).containsEntry("requests.example.com/gpu", "2")
                .doesNotContainKey("limits.example.com/gpu").doesNotContainKey("example.com/gpu");
    }

    @Test
    void theOverheadIsChargedWithEveryRequestButOnlyWithLimitsThatAreSet() {
        ObjectNode pod = withResources(pod("default", "p"), "100m", "200m");
        ((ObjectNode) pod.path("spec")).putObject("overhead").put("cpu", "250m").put("memory", "120Mi");

        // upstream's PodLimits: a pod without a memory limit stays unlimited, whatever its sandbox costs
        assertThat(usage(pod)).containsEntry("requests.cpu", "350m").containsEntry("limits.cpu", "450m")
                .containsEntry("requests.memory", "120Mi").doesNotContainKey("limits.memory");
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
