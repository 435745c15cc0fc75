package io.kube4j.controllers.integration;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many Jobs at once on a real API server, their pods succeeding as soon as they are bound, while another client
 * keeps rewriting the Jobs' labels: the job controller's status writes then meet conflicts and stale caches, and
 * every Job must still reach Complete with its one success counted once.
 */
class JobCompletionUnderLoadTest {
    static final String NS = "load";
    static final int JOBS = 12;

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1", "node-2").outcome(p -> PodOutcome.SUCCEED);
    }

    private static Job job(String name) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate().endSpec().build();
    }

    private boolean complete(Job j) {
        return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    void everyJobCompletesDespiteConflictingWrites() throws Exception {
        cluster.startControllers(new ControllerManagerOptions(), "job");
        List<String> names = IntStream.range(0, JOBS).mapToObj(i -> "j" + i).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            names.forEach(n -> pool.submit(() -> client.batch().v1().jobs().inNamespace(NS).resource(job(n)).create()));
            // a second writer bumps every Job's resourceVersion while the controller tracks their pods
            Thread churn = new Thread(() -> {
                for (int round = 0; round < 10 && !Thread.currentThread().isInterrupted(); round++) {
                    for (String n : names) {
                        try {
                            client.batch().v1().jobs().inNamespace(NS).withName(n).edit(j -> {
                                var labels = j.getMetadata().getLabels() == null ? new java.util.HashMap<String, String>()
                                        : new java.util.HashMap<>(j.getMetadata().getLabels());
                                labels.put("round", Long.toString(System.nanoTime() % 1000));
                                j.getMetadata().setLabels(labels);
                                return j;
                            });
                        } catch (RuntimeException e) {
                            // a conflict with the controller or a job not created yet: next round
                        }
                    }
                }
            }, "label-churn");
            churn.setDaemon(true);
            churn.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems())
                            .hasSize(JOBS).allMatch(this::complete));
            churn.interrupt();
        } finally {
            pool.shutdownNow();
        }
        for (Job j : client.batch().v1().jobs().inNamespace(NS).list().getItems()) {
            assertThat(j.getStatus().getSucceeded()).as(j.getMetadata().getName()).isEqualTo(1);
            assertThat(j.getStatus().getFailed() == null || j.getStatus().getFailed() == 0).isTrue();
            assertThat(j.getStatus().getCompletionTime()).isNotNull();
        }
        assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(JOBS)
                .allMatch(p -> p.getMetadata().getFinalizers() == null
                        || !p.getMetadata().getFinalizers().contains("batch.kubernetes.io/job-tracking"));
    }
}
