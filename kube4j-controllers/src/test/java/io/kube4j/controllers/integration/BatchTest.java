package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.MutableClock;
import io.kube4j.controllers.cronjob.CronJobController;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs and CronJobs on a real API server, with a fake kubelet deciding how pods end. */
class BatchTest {
    static final String NS = "batch";

    @TempDir
    Path dir;
    ApiServerCluster cluster;
    KubernetesClient client;
    ApiKubelet kubelet;

    @BeforeEach
    void start() {
        cluster = ApiServerCluster.start(dir);
        client = cluster.client();
        cluster.createNamespace(NS);
        kubelet = cluster.startKubelet("node-1", "node-2");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static JobBuilder job(String name) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate().endSpec();
    }

    private List<Pod> podsOf(String job) {
        return client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", job).list().getItems();
    }

    private static JobCondition condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private Job get(String name) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    private static Function<Pod, PodOutcome> byJob(String failing) {
        return p -> failing.equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-name"))
                ? PodOutcome.FAIL : PodOutcome.SUCCEED;
    }

    @Test
    void aFailingPodRetriesUpToTheBackoffLimitThenTheJobFails() throws Exception {
        kubelet.outcome(byJob("flaky"));
        cluster.startControllers(new ControllerManagerOptions().jobBackoffBase(Duration.ofMillis(100)), "job");
        client.batch().v1().jobs().inNamespace(NS).resource(job("flaky").editSpec().withBackoffLimit(2).endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JobCondition failed = condition(get("flaky"), "Failed");
            assertThat(failed).isNotNull();
            assertThat(failed.getStatus()).isEqualTo("True");
            assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        });
        Job job = get("flaky");
        assertThat(condition(job, "FailureTarget").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(condition(job, "Complete")).isNull();
        assertThat(job.getStatus().getFailed()).isEqualTo(3);
        assertThat(job.getStatus().getActive() == null || job.getStatus().getActive() == 0).isTrue();
        // backoffLimit 2: the first pod and two retries, no more.
        Thread.sleep(500);
        assertThat(podsOf("flaky")).hasSize(3).allMatch(p -> "Failed".equals(p.getStatus().getPhase()));
        // Every counted pod has had its tracking finalizer removed.
        assertThat(podsOf("flaky")).allMatch(p -> p.getMetadata().getFinalizers() == null
                || !p.getMetadata().getFinalizers().contains("batch.kubernetes.io/job-tracking"));
    }

    @Test
    void anIndexedJobCompletesEachIndexOnce() throws Exception {
        kubelet.outcome(byJob("none"));
        cluster.startControllers(new ControllerManagerOptions(), "job");
        client.batch().v1().jobs().inNamespace(NS).resource(job("indexed").editSpec().withCompletions(5)
                .withParallelism(2).withCompletionMode("Indexed").endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JobCondition complete = condition(get("indexed"), "Complete");
            assertThat(complete).isNotNull();
            assertThat(complete.getStatus()).isEqualTo("True");
        });
        Job job = get("indexed");
        assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0-4");
        assertThat(job.getStatus().getSucceeded()).isEqualTo(5);
        Thread.sleep(500);
        Map<String, Long> perIndex = podsOf("indexed").stream().collect(Collectors.groupingBy(
                p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"), Collectors.counting()));
        assertThat(perIndex).containsOnlyKeys("0", "1", "2", "3", "4");
        assertThat(perIndex.values()).containsOnly(1L);
        assertThat(podsOf("indexed")).allMatch(p -> p.getMetadata().getName().startsWith("indexed-"
                + p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index") + "-"));
    }

    @Test
    void aCronJobFiresOnItsScheduleByTheInjectedClock() throws Exception {
        kubelet.outcome(byJob("none"));
        // The clock starts just after a minute boundary; the informer resync re-evaluates the CronJob every
        // half second so that moving the clock is noticed without waiting for real time.
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(1);
        MutableClock clock = new MutableClock(start);
        cluster.startControllers(new ControllerManagerOptions().clock(clock).resyncPeriod(Duration.ofMillis(500)),
                "cronjob", "job");
        client.batch().v1().cronjobs().inNamespace(NS).resource(new CronJobBuilder().withNewMetadata().withName("tick")
                .endMetadata().withNewSpec().withSchedule("*/2 * * * *").withConcurrencyPolicy("Allow")
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate().endSpec()
                .endJobTemplate().endSpec().build()).create();
        // The API server stamps creationTimestamp with real time: move the clock relative to that.
        Instant created = Instant.parse(client.batch().v1().cronjobs().inNamespace(NS).withName("tick").get()
                .getMetadata().getCreationTimestamp());
        clock.set(created);
        Thread.sleep(1500);
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();

        Instant firstSlot = nextEvenMinute(created);
        clock.set(firstSlot.plusSeconds(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.batch().v1().jobs().inNamespace(NS).list().getItems().size() == 1);
        Job first = client.batch().v1().jobs().inNamespace(NS).list().getItems().get(0);
        var cronJob = client.batch().v1().cronjobs().inNamespace(NS).withName("tick").get();
        assertThat(first.getMetadata().getName()).isEqualTo(CronJobController.jobName(cronJob, firstSlot));
        assertThat(first.getMetadata().getAnnotations()).containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp",
                firstSlot.toString());

        // One minute later is not a slot of */2; two minutes later is.
        clock.set(firstSlot.plusSeconds(65));
        Thread.sleep(1500);
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).hasSize(1);
        clock.set(firstSlot.plusSeconds(125));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.batch().v1().jobs().inNamespace(NS).list().getItems().size() == 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.batch().v1().cronjobs().inNamespace(NS)
                .withName("tick").get().getStatus().getLastScheduleTime()).isEqualTo(firstSlot.plusSeconds(120).toString()));
    }

    private static Instant nextEvenMinute(Instant t) {
        Instant m = t.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        while ((m.getEpochSecond() / 60) % 2 != 0) {
            m = m.plus(1, ChronoUnit.MINUTES);
        }
        return m;
    }
}
