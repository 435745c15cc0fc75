package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.util.Pods;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real kube4j API server, one per test: the fabric8 mock's event loop stalls for up to a minute after a client
 * closes a watch, which each test's controller manager does when it stops.
 */
class JobControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ControllerManager manager;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace("ns");
        manager = cluster.startControllers(new ControllerManagerOptions().jobBackoffBase(Duration.ofMillis(10)), "job");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    static JobBuilder job(String name) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().withLabels(Map.of("job", name)).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .endContainer().endSpec().endTemplate().endSpec();
    }

    private List<Pod> activePods(String name) {
        return client.pods().inNamespace("ns").withLabel("job", name).list().getItems().stream()
                .filter(Pods::isActive).toList();
    }

    private void finish(Pod p, String phase, int exitCode) {
        Pod done = new PodBuilder(p).withNewStatus().withPhase(phase).addNewContainerStatus().withName("main")
                .withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState()
                .endContainerStatus().endStatus().build();
        client.pods().inNamespace("ns").resource(done).updateStatus();
    }

    private JobCondition condition(String job, String type) {
        Job j = client.batch().v1().jobs().inNamespace("ns").withName(job).get();
        return JobController.condition(j.getStatus(), type);
    }

    private Job get(String name) {
        return client.batch().v1().jobs().inNamespace("ns").withName(name).get();
    }

    @Test
    void failingPodIsRetriedUntilBackoffLimitThenJobFails() {
        client.batch().v1().jobs().inNamespace("ns").resource(job("flaky").editSpec().withBackoffLimit(2).endSpec().build())
                .create();
        for (int attempt = 0; attempt < 3; attempt++) {
            await().atMost(Duration.ofSeconds(20)).until(() -> activePods("flaky").size() == 1);
            Pod p = activePods("flaky").get(0);
            assertThat(p.getMetadata().getFinalizers()).contains(JobController.TRACKING_FINALIZER);
            finish(p, "Failed", 1);
            int expectedFailed = attempt + 1;
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get("flaky").getStatus().getFailed() == expectedFailed);
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition("flaky", "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(condition("flaky", "FailureTarget").getStatus()).isEqualTo("True");
        });
        assertThat(activePods("flaky")).isEmpty();
        assertThat(get("flaky").getStatus().getFailed()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.pods().inNamespace("ns").withLabel("job", "flaky").list().getItems())
                        .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isNullOrEmpty()));
    }

    @Test
    void indexedJobCompletesEachIndexOnce() {
        client.batch().v1().jobs().inNamespace("ns").resource(job("idx").editSpec().withCompletionMode("Indexed")
                .withCompletions(3).withParallelism(2).endSpec().build()).create();
        Map<String, Integer> podsPerIndex = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            for (Pod p : activePods("idx")) {
                String index = p.getMetadata().getAnnotations().get(JobController.INDEX_ANNOTATION);
                podsPerIndex.merge(index, 1, Integer::sum);
                assertThat(p.getSpec().getHostname()).isEqualTo("idx-" + index);
                assertThat(p.getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("JOB_COMPLETION_INDEX"));
                finish(p, "Succeeded", 0);
            }
            JobCondition c = condition("idx", "Complete");
            return c != null && "True".equals(c.getStatus());
        });
        assertThat(podsPerIndex).containsOnlyKeys("0", "1", "2").allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        Job j = get("idx");
        assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("0-2");
        assertThat(j.getStatus().getSucceeded()).isEqualTo(3);
        assertThat(j.getStatus().getCompletionTime()).isNotNull();
        assertThat(condition("idx", "SuccessCriteriaMet").getStatus()).isEqualTo("True");
    }

    @Test
    void podFailurePolicyFailJobRuleFailsAtOnce() {
        client.batch().v1().jobs().inNamespace("ns").resource(job("policy").editSpec().withBackoffLimit(5)
                .withNewPodFailurePolicy().addNewRule().withAction("FailJob").withNewOnExitCodes()
                .withContainerName("main").withOperator("In").withValues(42).endOnExitCodes().endRule()
                .endPodFailurePolicy().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("policy").size() == 1);
        finish(activePods("policy").get(0), "Failed", 42);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition("policy", "Failed").getReason()).isEqualTo("PodFailurePolicy");
            assertThat(condition("policy", "Failed").getMessage()).contains("exit code 42").contains("FailJob rule at index 0");
        });
    }

    @Test
    void nonIndexedJobRunsUntilCompletionsSucceed() {
        client.batch().v1().jobs().inNamespace("ns").resource(job("twice").editSpec().withCompletions(2)
                .withParallelism(1).endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            activePods("twice").forEach(p -> finish(p, "Succeeded", 0));
            JobCondition c = condition("twice", "Complete");
            return c != null && "True".equals(c.getStatus());
        });
        assertThat(get("twice").getStatus().getSucceeded()).isEqualTo(2);
        assertThat(get("twice").getStatus().getActive()).isZero();
    }

    @Test
    void suspendedJobHasNoPodsUntilResumed() throws Exception {
        client.batch().v1().jobs().inNamespace("ns").resource(job("later").editSpec().withSuspend(true).endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(condition("later", "Suspended").getReason()).isEqualTo("JobSuspended"));
        assertThat(activePods("later")).isEmpty();
        Retry.onConflict(() -> client.batch().v1().jobs().inNamespace("ns").withName("later").edit(j -> {
            j.getSpec().setSuspend(false);
            return j;
        }));
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("later").size() == 1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition("later", "Suspended").getStatus()).isEqualTo("False");
            assertThat(get("later").getStatus().getStartTime()).isNotNull();
        });
    }
}
