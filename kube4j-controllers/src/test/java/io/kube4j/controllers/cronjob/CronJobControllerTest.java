package io.kube4j.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.MutableClock;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.TestManagers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CronJobControllerTest {
    static KubernetesClient client;
    ControllerManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
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
        Instant created = Instant.now();
        MutableClock clock = new MutableClock(created);
        manager = TestManagers.start(client, new ControllerManagerOptions().clock(clock), "cronjob");
        client.batch().v1().cronjobs().inNamespace("ns").resource(cronJob("tick", "*/5 * * * *", "Allow")).create();
        Thread.sleep(300);
        assertThat(jobs("tick")).isEmpty();

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
        Thread.sleep(300);
        assertThat(jobs("tick")).as("the same scheduled time fires once").hasSize(1);

        clock.advance(Duration.ofMinutes(5));
        poke("tick", 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs("tick").size() == 2);
    }

    @Test
    void forbidSkipsWhileAJobIsActive() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        manager = TestManagers.start(client, new ControllerManagerOptions().clock(clock), "cronjob");
        client.batch().v1().cronjobs().inNamespace("ns").resource(cronJob("solo", "* * * * *", "Forbid")).create();
        clock.advance(Duration.ofMinutes(1));
        poke("solo", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs("solo").size() == 1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                client.batch().v1().cronjobs().inNamespace("ns").withName("solo").get().getStatus().getActive().size() == 1);
        clock.advance(Duration.ofMinutes(1));
        poke("solo", 2);
        Thread.sleep(500);
        assertThat(jobs("solo")).hasSize(1);
    }

    /**
     * A job that names the CronJob its controller but that the controller did not list (here: made by hand, as
     * `kubectl create job --from=cronjob/...` does) is not adopted into status.active: upstream warns UnexpectedJob.
     */
    @Test
    void aJobTheControllerDidNotCreateIsNotCountedActive() throws Exception {
        manager = TestManagers.start(client, new ControllerManagerOptions().clock(new MutableClock(Instant.now())),
                "cronjob");
        CronJob cj = client.batch().v1().cronjobs().inNamespace("ns")
                .resource(cronJob("yearly", "0 0 1 1 *", "Forbid")).create();
        client.batch().v1().jobs().inNamespace("ns").resource(new JobBuilder().withNewMetadata()
                .withName("yearly-manual-x1").withNamespace("ns").addNewOwnerReference().withApiVersion("batch/v1")
                .withKind("CronJob").withName("yearly").withUid(cj.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withSpec(cj.getSpec().getJobTemplate().getSpec()).build()).create();
        poke("yearly", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.v1().events().inNamespace("ns").list().getItems()
                .stream().map(Event::getReason).anyMatch("UnexpectedJob"::equals));
        poke("yearly", 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            CronJob now = client.batch().v1().cronjobs().inNamespace("ns").withName("yearly").get();
            assertThat(now.getStatus() == null ? null : now.getStatus().getActive()).isNullOrEmpty();
        });
    }
}
