package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerManagerOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Indexed Jobs' successPolicy and backoffLimitPerIndex, and the validation of those fields, on a real API server with
 * the controller manager and a fake kubelet deciding each pod's outcome by its completion index.
 */
class JobIndexPoliciesIntegrationTest {
    static final String NS = "indexed";
    static final String INDEX = "batch.kubernetes.io/job-completion-index";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ApiKubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace(NS);
        kubelet = cluster.startKubelet("node-1");
        cluster.startControllers(new ControllerManagerOptions().jobBackoffBase(Duration.ofMillis(100)), "job");
    }

    private static JobBuilder indexed(String name, int completions) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withCompletionMode("Indexed").withCompletions(completions).withParallelism(completions)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate().endSpec();
    }

    private static String index(Pod p) {
        return p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(INDEX);
    }

    private Job get(String name) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    private static JobCondition condition(Job job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? null
                : job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private List<Pod> podsOf(String job) {
        return client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", job).list().getItems();
    }

    @Test
    void aFailingIndexUsesItsOwnRetriesAndTheJobFailsWithFailedIndexes() {
        kubelet.outcome(p -> "0".equals(index(p)) ? PodOutcome.FAIL : PodOutcome.SUCCEED);
        client.batch().v1().jobs().inNamespace(NS).resource(indexed("retries", 3).editSpec().withBackoffLimitPerIndex(1)
                .endSpec().build()).create();
        Job defaulted = get("retries");
        // upstream's defaults: no Job-wide limit when the indexes count their own, and the default replacement policy
        assertThat(defaulted.getSpec().getBackoffLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaulted.getSpec().getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JobCondition failed = condition(get("retries"), "Failed");
            assertThat(failed).isNotNull();
            assertThat(failed.getReason()).isEqualTo("FailedIndexes");
            assertThat(failed.getMessage()).isEqualTo("Job has failed indexes");
        });
        Job done = get("retries");
        assertThat(done.getStatus().getFailedIndexes()).isEqualTo("0");
        assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("1,2");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
        assertThat(done.getStatus().getFailed()).isEqualTo(2);
        assertThat(podsOf("retries").stream().filter(p -> "0".equals(index(p))).map(p ->
                p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-index-failure-count")))
                .containsExactlyInAnyOrder("0", "1");
    }

    @Test
    void aMetSuccessPolicyCompletesTheJobAndTheOtherIndexesAreStopped() {
        kubelet.outcome(p -> "0".equals(index(p)) ? PodOutcome.SUCCEED : PodOutcome.RUN);
        client.batch().v1().jobs().inNamespace(NS).resource(indexed("leader", 3).editSpec().withNewSuccessPolicy()
                .addNewRule().withSucceededIndexes("0").endRule().endSuccessPolicy().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JobCondition complete = condition(get("leader"), "Complete");
            assertThat(complete).isNotNull();
            assertThat(complete.getReason()).isEqualTo("SuccessPolicy");
            assertThat(complete.getMessage()).isEqualTo("Matched rules at index 0");
        });
        Job done = get("leader");
        assertThat(condition(done, "SuccessCriteriaMet").getReason()).isEqualTo("SuccessPolicy");
        assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0");
        assertThat(done.getStatus().getActive()).isZero();
        assertThat(done.getStatus().getTerminating()).isZero();
        assertThat(done.getStatus().getFailed()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("leader").stream().noneMatch(p -> !"0".equals(index(p))));
    }

    @Test
    void theNewFieldsAreValidatedAsUpstreamWith422AndFieldCauses() {
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () ->
                client.batch().v1().jobs().inNamespace(NS).resource(indexed("bad", 2).editSpec().withCompletionMode("NonIndexed")
                        .withMaxFailedIndexes(1).withNewSuccessPolicy().addNewRule().withSucceededCount(1).endRule()
                        .endSuccessPolicy().endSpec().build()).create());
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField).containsExactly(
                "spec.backoffLimitPerIndex", "spec.maxFailedIndexes", "spec.successPolicy");
        assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getMessage).startsWith(
                "Required value: when maxFailedIndexes is specified", "Invalid value: 1: requires indexed completion mode");

        KubernetesClientException policy = catchThrowableOfType(KubernetesClientException.class, () ->
                client.batch().v1().jobs().inNamespace(NS).resource(indexed("bad", 2).editSpec().withPodReplacementPolicy("TerminatingOrFailed")
                        .withNewPodFailurePolicy().addNewRule().withAction("FailIndex").withNewOnExitCodes().withOperator("In")
                        .withValues(42).endOnExitCodes().endRule().endPodFailurePolicy().endSpec().build()).create());
        assertThat(policy.getCode()).isEqualTo(422);
        assertThat(policy.getStatus().getDetails().getCauses()).extracting(StatusCause::getField).containsExactly(
                "spec.podFailurePolicy.rules[0].action", "spec.podReplacementPolicy");
        assertThat(get("bad")).isNull();
    }
}
