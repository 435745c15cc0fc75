package io.kube4j.controllers.ttlafterfinished;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.MutableClock;
import io.kube4j.controllers.TestManagers;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class TtlAfterFinishedControllerTest {
    static KubernetesClient client;
    ControllerManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    private Job finishedJob(String name, int ttl, Instant finished) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withTtlSecondsAfterFinished(ttl).withNewTemplate().withNewSpec()
                .addNewContainer().withName("c").withImage("x").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().addNewCondition().withType("Complete").withStatus("True")
                .withLastTransitionTime(Times.format(finished)).endCondition()
                .withCompletionTime(Times.format(finished)).endStatus().build();
    }

    @Test
    void deletesFinishedJobsOnlyAfterTheirTtl() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        MutableClock clock = new MutableClock(now);
        client.batch().v1().jobs().inNamespace("ns").resource(finishedJob("old", 60, now.minusSeconds(120))).create();
        client.batch().v1().jobs().inNamespace("ns").resource(finishedJob("young", 3600, now.minusSeconds(10))).create();
        manager = TestManagers.start(client, new ControllerManagerOptions().clock(clock), "ttl-after-finished");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.batch().v1().jobs().inNamespace("ns").withName("old").get() == null);
        Thread.sleep(300);
        assertThat(client.batch().v1().jobs().inNamespace("ns").withName("young").get()).isNotNull();
    }
}
