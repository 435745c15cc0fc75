package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.MutableClock;
import io.kube4j.controllers.cronjob.CronJobController;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Jobs and CronJobs on a real API server, with a fake kubelet deciding how pods end. */
class BatchTest {
    static final String NS = "batch";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ApiKubelet kubelet;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace(NS);
        kubelet = cluster.startKubelet("node-1", "node-2");
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

    /** Every version of a Job a watch delivers, in order. */
    private Watch record(String name, List<Job> versions) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                versions.add(job);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    private static List<String> conditionTypes(Job job) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? List.of()
                : job.getStatus().getConditions().stream().map(JobCondition::getType).toList();
    }

    /** The first version whose conditions include {@code type}, by its place in {@code versions}. */
    private static int firstWith(List<Job> versions, String type) {
        for (int i = 0; i < versions.size(); i++) {
            if (conditionTypes(versions.get(i)).contains(type)) {
                return i;
            }
        }
        return -1;
    }

    private Pod awaitRunningPod(String job) {
        await().atMost(Duration.ofSeconds(30)).until(() -> podsOf(job).stream()
                .anyMatch(p -> "Running".equals(p.getStatus().getPhase()) && p.getMetadata().getDeletionTimestamp() == null));
        return podsOf(job).stream().filter(p -> "Running".equals(p.getStatus().getPhase())).findFirst().orElseThrow();
    }

    private void forceDelete(Pod pod) {
        client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
    }

    @Test
    void successCriteriaMetComesFirstAndCompleteOnlyOnceNoPodIsTerminating() throws Exception {
        cluster.startControllers(new ControllerManagerOptions().jobBackoffBase(Duration.ofMillis(100)), "job");
        List<Job> versions = new CopyOnWriteArrayList<>();
        client.batch().v1().jobs().inNamespace(NS).resource(job("drain").build()).create();
        try (Watch ignored = record("drain", versions)) {
            // the first pod runs on a node that then goes silent: once deleted (an eviction, say) it stays terminating
            Pod evicted = awaitRunningPod("drain");
            kubelet.stopNode(evicted.getSpec().getNodeName());
            kubelet.outcome(p -> PodOutcome.SUCCEED);
            client.pods().inNamespace(NS).withName(evicted.getMetadata().getName()).delete();

            // its replacement succeeds: the success criteria are met, but a pod is still terminating
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JobCondition met = condition(get("drain"), "SuccessCriteriaMet");
                assertThat(met).isNotNull();
                assertThat(met.getStatus()).isEqualTo("True");
                assertThat(met.getReason()).isEqualTo("CompletionsReached");
                assertThat(met.getMessage()).isEqualTo("Reached expected number of succeeded pods");
            });
            Thread.sleep(1000);
            Job waiting = get("drain");
            assertThat(condition(waiting, "Complete")).isNull();
            assertThat(waiting.getStatus().getCompletionTime()).isNull();
            assertThat(waiting.getStatus().getSucceeded()).isEqualTo(1);
            assertThat(waiting.getStatus().getTerminating()).isEqualTo(1);
            Kubectl kubectl = Kubectl.available()
                    ? new Kubectl(cluster.kubeconfig(), cluster.dir().resolve("kubectl-cache")) : null;
            if (kubectl != null) {
                Kubectl.Result early = kubectl.run("-n", NS, "wait", "--for=condition=complete", "job/drain", "--timeout=2s");
                assertThat(early.exitCode()).as(early.output()).isNotZero();
            }

            // the node's kubelet would finish the deletion; without it, the test does
            forceDelete(evicted);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(condition(get("drain"), "Complete"))
                    .isNotNull());
            Job done = get("drain");
            assertThat(conditionTypes(done)).containsExactly("SuccessCriteriaMet", "Complete");
            JobCondition complete = condition(done, "Complete");
            assertThat(complete.getStatus()).isEqualTo("True");
            assertThat(complete.getReason()).isEqualTo("CompletionsReached");
            assertThat(complete.getMessage()).isEqualTo("Reached expected number of succeeded pods");
            assertThat(done.getStatus().getCompletionTime()).isEqualTo(complete.getLastTransitionTime());
            assertThat(done.getStatus().getTerminating()).isZero();
            assertThat(done.getStatus().getActive()).isZero();
            // the evicted pod counts as failed, as upstream counts a deleted pod that did not succeed
            assertThat(done.getStatus().getFailed()).isEqualTo(1);
            if (kubectl != null) {
                Kubectl.Result wait = kubectl.run("-n", NS, "wait", "--for=condition=complete", "job/drain", "--timeout=60s");
                assertThat(wait.exitCode()).as(wait.output()).isZero();
                assertThat(wait.output()).contains("job.batch/drain condition met");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> firstWith(versions, "Complete") >= 0);
        }
        int met = firstWith(versions, "SuccessCriteriaMet");
        int complete = firstWith(versions, "Complete");
        assertThat(met).as("SuccessCriteriaMet written in a version of its own").isBetween(0, complete - 1);
        assertThat(versions.subList(0, complete)).allSatisfy(v ->
                assertThat(v.getStatus() == null ? null : v.getStatus().getCompletionTime()).isNull());
    }

    @Test
    void failureTargetComesFirstAndFailedOnlyOnceTheDeletedPodIsGone() throws Exception {
        cluster.startControllers(new ControllerManagerOptions(), "job");
        List<Job> versions = new CopyOnWriteArrayList<>();
        client.batch().v1().jobs().inNamespace(NS).resource(job("late").editSpec().withActiveDeadlineSeconds(2L)
                .endSpec().build()).create();
        try (Watch ignored = record("late", versions)) {
            Pod running = awaitRunningPod("late");
            kubelet.stopNode(running.getSpec().getNodeName());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JobCondition target = condition(get("late"), "FailureTarget");
                assertThat(target).isNotNull();
                assertThat(target.getStatus()).isEqualTo("True");
                assertThat(target.getReason()).isEqualTo("DeadlineExceeded");
                assertThat(target.getMessage()).isEqualTo("Job was active longer than specified deadline");
            });
            // the controller deleted the pod; its silent node never finishes the deletion
            await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("late").stream()
                    .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
            Thread.sleep(1000);
            Job waiting = get("late");
            assertThat(condition(waiting, "Failed")).isNull();
            assertThat(waiting.getStatus().getTerminating()).isEqualTo(1);
            assertThat(waiting.getStatus().getActive()).isZero();

            forceDelete(running);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(condition(get("late"), "Failed"))
                    .isNotNull());
            Job failed = get("late");
            assertThat(conditionTypes(failed)).containsExactly("FailureTarget", "Failed");
            JobCondition condition = condition(failed, "Failed");
            assertThat(condition.getStatus()).isEqualTo("True");
            assertThat(condition.getReason()).isEqualTo("DeadlineExceeded");
            assertThat(condition.getMessage()).isEqualTo("Job was active longer than specified deadline");
            assertThat(failed.getStatus().getCompletionTime()).isNull();
            assertThat(failed.getStatus().getTerminating()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> firstWith(versions, "Failed") >= 0);
        }
        assertThat(firstWith(versions, "FailureTarget")).isBetween(0, firstWith(versions, "Failed") - 1);
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
