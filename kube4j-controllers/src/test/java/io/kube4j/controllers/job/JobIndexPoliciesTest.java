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
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job controller's 1.32 Indexed Job policies on a real kube4j API server, one per test (the fabric8 mock's event
 * loop stalls after a client closes a watch): spec.successPolicy, spec.backoffLimitPerIndex with maxFailedIndexes and
 * the FailIndex action, and spec.podReplacementPolicy.
 */
class JobIndexPoliciesTest {
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

    private static JobBuilder indexed(String name, int completions, int parallelism) {
        return JobControllerTest.job(name).editSpec().withCompletionMode("Indexed").withCompletions(completions)
                .withParallelism(parallelism).endSpec();
    }

    private Job create(JobBuilder job) {
        return client.batch().v1().jobs().inNamespace("ns").resource(job.build()).create();
    }

    private List<Pod> pods(String job) {
        return client.pods().inNamespace("ns").withLabel("job", job).list().getItems();
    }

    private List<Pod> activePods(String job) {
        return pods(job).stream().filter(Pods::isActive).toList();
    }

    private Pod activePod(String job, int index) {
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods(job).stream().anyMatch(p -> index == JobController.index(p)));
        return activePods(job).stream().filter(p -> index == JobController.index(p)).findFirst().orElseThrow();
    }

    private void finish(Pod p, String phase, int exitCode) {
        Pod done = new PodBuilder(p).withNewStatus().withPhase(phase).addNewContainerStatus().withName("main")
                .withNewState().withNewTerminated().withExitCode(exitCode).withFinishedAt(Times.format(Instant.now()))
                .endTerminated().endState().endContainerStatus().endStatus().build();
        client.pods().inNamespace("ns").resource(done).updateStatus();
    }

    private Job get(String name) {
        return client.batch().v1().jobs().inNamespace("ns").withName(name).get();
    }

    private JobCondition condition(String job, String type) {
        return JobController.condition(get(job).getStatus(), type);
    }

    private static String failureCount(Pod p) {
        return p.getMetadata().getAnnotations().get(IndexFailures.FAILURE_COUNT);
    }

    @Test
    void aMetSuccessPolicyEndsTheJobAndStopsTheOtherIndexes() {
        create(indexed("leader", 3, 3).editSpec().withNewSuccessPolicy().addNewRule().withSucceededIndexes("0")
                .endRule().endSuccessPolicy().endSpec());
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("leader").size() == 3);
        finish(activePod("leader", 0), "Succeeded", 0);

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            JobCondition complete = condition("leader", "Complete");
            assertThat(complete.getStatus()).isEqualTo("True");
            assertThat(complete.getReason()).isEqualTo("SuccessPolicy");
            assertThat(complete.getMessage()).isEqualTo("Matched rules at index 0");
        });
        JobCondition met = condition("leader", "SuccessCriteriaMet");
        assertThat(met.getReason()).isEqualTo("SuccessPolicy");
        assertThat(met.getMessage()).isEqualTo("Matched rules at index 0");
        Job done = get("leader");
        assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
        // the indexes stopped because the Job succeeded are not failures
        assertThat(done.getStatus().getFailed()).isZero();
        assertThat(done.getStatus().getActive()).isZero();
        assertThat(activePods("leader")).isEmpty();
    }

    @Test
    void aSuccessPolicyCountRuleNeedsThatManyOfItsIndexes() {
        create(indexed("quorum", 4, 4).editSpec().withNewSuccessPolicy()
                .addNewRule().withSucceededIndexes("2-3").withSucceededCount(2).endRule()
                .addNewRule().withSucceededIndexes("0-3").withSucceededCount(2).endRule().endSuccessPolicy().endSpec());
        finish(activePod("quorum", 0), "Succeeded", 0);
        // one success meets no rule: the Job runs on
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "0".equals(get("quorum").getStatus().getCompletedIndexes()));
        assertThat(condition("quorum", "SuccessCriteriaMet")).isNull();
        finish(activePod("quorum", 1), "Succeeded", 0);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition("quorum", "Complete").getMessage()).isEqualTo("Matched rules at index 1");
            assertThat(get("quorum").getStatus().getCompletedIndexes()).isEqualTo("0,1");
        });
    }

    @Test
    void anIndexIsRetriedUpToItsOwnLimitThenFailedWhileTheOthersComplete() {
        create(indexed("per-index", 2, 2).editSpec().withBackoffLimitPerIndex(1).endSpec());
        Pod first = activePod("per-index", 0);
        assertThat(failureCount(first)).isEqualTo("0");
        finish(first, "Failed", 1);

        // the index is retried once, the replacement carrying the count of its index's failures
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("per-index").stream()
                .anyMatch(p -> Integer.valueOf(0).equals(JobController.index(p)) && !p.getMetadata().getUid().equals(first.getMetadata().getUid())));
        Pod second = activePod("per-index", 0);
        assertThat(failureCount(second)).isEqualTo("1");
        finish(second, "Failed", 1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "0".equals(get("per-index").getStatus().getFailedIndexes()));
        assertThat(condition("per-index", "FailureTarget")).as("index 1 still runs").isNull();

        finish(activePod("per-index", 1), "Succeeded", 0);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            JobCondition failed = condition("per-index", "Failed");
            assertThat(failed.getReason()).isEqualTo("FailedIndexes");
            assertThat(failed.getMessage()).isEqualTo("Job has failed indexes");
        });
        assertThat(condition("per-index", "FailureTarget").getReason()).isEqualTo("FailedIndexes");
        Job done = get("per-index");
        assertThat(done.getStatus().getFailedIndexes()).isEqualTo("0");
        assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("1");
        assertThat(done.getStatus().getFailed()).isEqualTo(2);
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
        // index 0 ran exactly twice: its limit, not the Job's default backoffLimit of 6, applied
        assertThat(pods("per-index").stream().filter(p -> Integer.valueOf(0).equals(JobController.index(p)))).hasSize(2);
    }

    @Test
    void moreFailedIndexesThanMaxFailedIndexesFailTheJobAndStopTheRest() {
        create(indexed("max-failed", 3, 3).editSpec().withBackoffLimitPerIndex(0).withMaxFailedIndexes(0).endSpec());
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("max-failed").size() == 3);
        finish(activePod("max-failed", 1), "Failed", 1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            JobCondition failed = condition("max-failed", "Failed");
            assertThat(failed.getReason()).isEqualTo("MaxFailedIndexesExceeded");
            assertThat(failed.getMessage()).isEqualTo("Job has exceeded the specified maximal number of failed indexes");
        });
        Job done = get("max-failed");
        assertThat(done.getStatus().getFailedIndexes()).isEqualTo("1");
        // the pods stopped because the Job failed count as failed, as upstream counts them
        assertThat(done.getStatus().getFailed()).isEqualTo(3);
        assertThat(activePods("max-failed")).isEmpty();
    }

    @Test
    void aFailIndexRuleFailsTheIndexWithoutRetryAndAnIgnoredFailureIsCountedApart() {
        create(indexed("fail-index", 2, 2).editSpec().withBackoffLimitPerIndex(3).withNewPodFailurePolicy()
                .addNewRule().withAction("FailIndex").withNewOnExitCodes().withOperator("In").withValues(42).endOnExitCodes().endRule()
                .addNewRule().withAction("Ignore").withNewOnExitCodes().withOperator("In").withValues(7).endOnExitCodes().endRule()
                .endPodFailurePolicy().endSpec());
        Pod ignored = activePod("fail-index", 1);
        finish(ignored, "Failed", 7);
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("fail-index").stream()
                .anyMatch(p -> Integer.valueOf(1).equals(JobController.index(p)) && !p.getMetadata().getUid().equals(ignored.getMetadata().getUid())));
        Pod retried = activePod("fail-index", 1);
        assertThat(retried.getMetadata().getAnnotations()).containsEntry(IndexFailures.FAILURE_COUNT, "0")
                .containsEntry(IndexFailures.IGNORED_FAILURE_COUNT, "1");

        finish(activePod("fail-index", 0), "Failed", 42);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "0".equals(get("fail-index").getStatus().getFailedIndexes()));
        finish(activePod("fail-index", 1), "Succeeded", 0);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(condition("fail-index", "Failed").getReason()).isEqualTo("FailedIndexes"));
        assertThat(pods("fail-index").stream().filter(p -> Integer.valueOf(0).equals(JobController.index(p)))).hasSize(1);
        // the Ignore rule's failure is not counted
        assertThat(get("fail-index").getStatus().getFailed()).isEqualTo(1);
    }

    @Test
    void withPodReplacementPolicyFailedATerminatingPodIsReplacedOnlyOnceItFailed() {
        create(JobControllerTest.job("patient").editSpec().withPodReplacementPolicy("Failed").endSpec());
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("patient").size() == 1);
        Pod first = activePods("patient").get(0);
        client.pods().inNamespace("ns").resource(first).delete();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get("patient").getStatus().getTerminating() == 1);
        Job waiting = get("patient");
        assertThat(waiting.getStatus().getActive()).isZero();
        assertThat(waiting.getStatus().getFailed()).isZero();
        assertThat(activePods("patient")).isEmpty();

        Pod terminating = client.pods().inNamespace("ns").withName(first.getMetadata().getName()).get();
        finish(terminating, "Failed", 137);
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("patient").size() == 1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("patient").getStatus().getFailed()).isEqualTo(1);
            assertThat(get("patient").getStatus().getTerminating()).isZero();
        });
    }

    @Test
    void withTheDefaultPolicyATerminatingPodIsReplacedAtOnceAndCountedAsFailed() {
        create(JobControllerTest.job("eager"));
        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("eager").size() == 1);
        Pod first = activePods("eager").get(0);
        client.pods().inNamespace("ns").resource(first).delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> activePods("eager").stream()
                .anyMatch(p -> !Objects.equals(p.getMetadata().getUid(), first.getMetadata().getUid())));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get("eager").getStatus().getFailed() == 1);
        assertThat(Map.of("active", get("eager").getStatus().getActive())).containsEntry("active", 1);
    }
}
