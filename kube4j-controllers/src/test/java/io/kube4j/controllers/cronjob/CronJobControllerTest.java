package io.kube4j.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.MutableClock;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CronJob controller on a real kube4j API server with an injected clock; no Job controller runs, so the
 * jobs it creates stay active.
 */
class CronJobControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace("ns");
    }

    /**
     * Creates the CronJob and sets the injected clock to the time the API server stamped on it (the controller
     * schedules from creationTimestamp, which a server a few seconds behind the test's start would put past a minute
     * boundary the test's clock never reaches).
     */
    private CronJob create(MutableClock clock, CronJob cj) {
        CronJob created = client.batch().v1().cronjobs().inNamespace("ns").resource(cj).create();
        clock.set(Times.parse(created.getMetadata().getCreationTimestamp()));
        return created;
    }

    /** The count holds for half a second after the last poke, long enough for the controller to have answered it. */
    private void assertJobsStay(String cronJob, int count) {
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(jobs(cronJob)).hasSize(count));
    }

    private List<Job> jobs(String cronJob) {
        return client.batch().v1().jobs().inNamespace("ns").list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(cronJob + "-")).toList();
    }

    /** A label change makes the controller look again at the (moved) clock. */
    private void poke(String name, int n) {
        Retry.onConflict(() -> client.batch().v1().cronjobs().inNamespace("ns").withName(name).edit(cj -> {
            cj.getMetadata().setLabels(Map.of("poke", "" + n));
            return cj;
        }));
    }

    private CronJob cronJob(String name, String schedule, String policy) {
        return new CronJobBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withSchedule(schedule).withTimeZone("Etc/UTC").withConcurrencyPolicy(policy)
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().endJobTemplate().endSpec().build();
    }

    @Test
    void firesOnScheduleWithAnInjectedClock() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        cluster.startControllers(new ControllerManagerOptions().clock(clock), "cronjob");
        create(clock, cronJob("tick", "*/5 * * * *", "Allow"));
        assertJobsStay("tick", 0);

        clock.advance(Duration.ofMinutes(6));
        poke("tick", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs("tick").size() == 1);
        Job job = jobs("tick").get(0);
        assertThat(job.getMetadata().getAnnotations()).containsKey(CronJobController.SCHEDULED_TIMESTAMP);
        assertThat(job.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("CronJob");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            CronJob cj = client.batch().v1().cronjobs().inNamespace("ns").withName("tick").get();
            assertThat(cj.getStatus().getActive()).hasSize(1);
            assertThat(cj.getStatus().getLastScheduleTime()).isNotNull();
        });

        poke("tick", 2);
        assertJobsStay("tick", 1); // the same scheduled time fires once

        clock.advance(Duration.ofMinutes(5));
        poke("tick", 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs("tick").size() == 2);
    }

    @Test
    void forbidSkipsWhileAJobIsActive() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        cluster.startControllers(new ControllerManagerOptions().clock(clock), "cronjob");
        create(clock, cronJob("solo", "* * * * *", "Forbid"));
        clock.advance(Duration.ofMinutes(1));
        poke("solo", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs("solo").size() == 1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                client.batch().v1().cronjobs().inNamespace("ns").withName("solo").get().getStatus().getActive().size() == 1);
        clock.advance(Duration.ofMinutes(1));
        poke("solo", 2);
        assertJobsStay("solo", 1);
    }

    /**
     * A job that names the CronJob its controller but that the controller did not list (here: made by hand, as
     * `kubectl create job --from=cronjob/...` does) is not adopted into status.active: upstream warns UnexpectedJob.
     */
    @Test
    void aJobTheControllerDidNotCreateIsNotCountedActive() throws Exception {
        cluster.startControllers(new ControllerManagerOptions().clock(new MutableClock(Instant.now())), "cronjob");
        CronJob cj = client.batch().v1().cronjobs().inNamespace("ns")
                .resource(cronJob("yearly", "0 0 1 1 *", "Forbid")).create();
        client.batch().v1().jobs().inNamespace("ns").resource(new JobBuilder().withNewMetadata()
                .withName("yearly-manual-x1").withNamespace("ns").addNewOwnerReference().withApiVersion("batch/v1")
                .withKind("CronJob").withName("yearly").withUid(cj.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withSpec(cj.getSpec().getJobTemplate().getSpec()).build()).create();
        // the job's creation wakes the controller
        await().atMost(Duration.ofSeconds(20)).until(() -> client.v1().events().inNamespace("ns").list().getItems()
                .stream().map(Event::getReason).anyMatch("UnexpectedJob"::equals));
        // and it has nothing to write: the new CronJob's absent status is an empty one, the job it did not adopt no
        // change (an empty status written back would also race a user's edit and lose the next job's active entry)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(client.batch().v1().cronjobs().inNamespace("ns").withName("yearly").get().getMetadata()
                        .getResourceVersion()).isEqualTo(cj.getMetadata().getResourceVersion()));
        poke("yearly", 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            CronJob now = client.batch().v1().cronjobs().inNamespace("ns").withName("yearly").get();
            assertThat(now.getStatus() == null ? null : now.getStatus().getActive()).isNullOrEmpty();
        });
    }
}
