package io.kube4j.kubelet.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsPageTest {

    @Test
    void criMethodsBecomeUpstreamsOperationTypes() {
        assertThat(RuntimeOperations.operationType("RunPodSandbox")).isEqualTo("run_podsandbox");
        assertThat(RuntimeOperations.operationType("ListPodSandbox")).isEqualTo("list_podsandbox");
        assertThat(RuntimeOperations.operationType("PodSandboxStatus")).isEqualTo("podsandbox_status");
        assertThat(RuntimeOperations.operationType("CreateContainer")).isEqualTo("create_container");
        assertThat(RuntimeOperations.operationType("ListContainerStats")).isEqualTo("list_container_stats");
        assertThat(RuntimeOperations.operationType("ImageFsInfo")).isEqualTo("image_fs_info");
    }

    @Test
    void thePageCarriesUpstreamsNamesAndTheRecordedFigures() {
        RuntimeOperations ops = new RuntimeOperations();
        ops.record("create_container", 0.003, true);
        ops.record("create_container", 0.2, false);
        ops.record("list_containers", 0.001, true);
        KubeletMetrics metrics = new KubeletMetrics("node-a", ops);
        metrics.podStarted(Duration.ofMillis(700));
        metrics.podStarted(Duration.ofSeconds(7));
        metrics.podWorkerSync("create", Duration.ofMillis(30));

        String page = MetricsPage.render(metrics, new MetricsPage.RuntimeCounts(3,
                Map.of("running", 4, "exited", 1)));

        assertThat(page).contains("kubelet_node_name{node=\"node-a\"} 1\n")
                .contains("# TYPE kubelet_running_pods gauge\nkubelet_running_pods 3\n")
                .contains("kubelet_running_containers{container_state=\"exited\"} 1\n")
                .contains("kubelet_running_containers{container_state=\"running\"} 4\n")
                .contains("kubelet_runtime_operations_total{operation_type=\"create_container\"} 2\n")
                .contains("kubelet_runtime_operations_total{operation_type=\"list_containers\"} 1\n")
                .contains("kubelet_runtime_operations_errors_total{operation_type=\"create_container\"} 1\n")
                .doesNotContain("kubelet_runtime_operations_errors_total{operation_type=\"list_containers\"}")
                .contains("kubelet_runtime_operations_duration_seconds_bucket{operation_type=\"create_container\",le=\"0.005\"} 1\n")
                .contains("kubelet_runtime_operations_duration_seconds_count{operation_type=\"create_container\"} 2\n")
                // cumulative buckets: 0.7 s is under 1, 7 s under 8
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"0.5\"} 0\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"1\"} 1\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"6\"} 1\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"8\"} 2\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"+Inf\"} 2\n")
                .contains("kubelet_pod_start_duration_seconds_sum 7.7\n")
                .contains("kubelet_pod_start_duration_seconds_count 2\n")
                .contains("kubelet_pod_worker_duration_seconds_bucket{operation_type=\"create\",le=\"0.025\"} 0\n")
                .contains("kubelet_pod_worker_duration_seconds_bucket{operation_type=\"create\",le=\"0.05\"} 1\n")
                .contains("# TYPE process_cpu_seconds_total counter\n")
                .contains("process_resident_memory_bytes ")
                .contains("jvm_memory_used_bytes{area=\"heap\"} ");
        // every series has its HELP and TYPE, and no line is malformed
        for (String line : page.split("\n")) {
            assertThat(line).matches("(# (HELP|TYPE) [a-z_]+ .+)|([a-z_]+(\\{[^}]*\\})? [0-9.eE+-]+)");
        }
    }

    @Test
    void theRuntimeCountsAreLeftOutWhenTheRuntimeCannotSay() {
        String page = MetricsPage.render(new KubeletMetrics("n", new RuntimeOperations()), null);
        assertThat(page).doesNotContain("kubelet_running_pods").contains("kubelet_node_name{node=\"n\"} 1");
    }
}
