package io.kube4j.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.api.events.EventSender;
import io.kube4j.controllers.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeats of an event within client-go's 10-minute window count up on one Event; other events stay apart. */
@EnableKubernetesMockClient(crud = true)
class ApiEventRecorderTest {
    static KubernetesClient client;

    private static List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private static ConfigMap object(String namespace) {
        return new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace(namespace).withUid("u1")
                .endMetadata().build();
    }

    @Test
    void repeatsWithinTheWindowPatchTheCount() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        try (ApiEventRecorder recorder = new ApiEventRecorder(client, "test", clock)) {
            ConfigMap cm = object("repeats");
            for (int i = 0; i < 3; i++) {
                recorder.event(cm, EventRecorder.WARNING, "Broken", "it broke");
                clock.advance(Duration.ofMinutes(1));
            }
            recorder.event(cm, EventRecorder.WARNING, "Broken", "another message");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<Event> all = events("repeats");
                assertThat(all).hasSize(2);
                Event repeated = all.stream().filter(e -> e.getMessage().equals("it broke")).findFirst().orElseThrow();
                assertThat(repeated.getCount()).isEqualTo(3);
                assertThat(repeated.getLastTimestamp()).isEqualTo("2026-11-26T10:02:00Z");
                assertThat(repeated.getFirstTimestamp()).isEqualTo("2026-11-26T10:00:00Z");
            });
        }
    }

    @Test
    void aRepeatAfterTheWindowStartsANewEvent() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        try (ApiEventRecorder recorder = new ApiEventRecorder(client, "test", clock)) {
            ConfigMap cm = object("window");
            recorder.event(cm, EventRecorder.NORMAL, "Tick", "tick");
            await().atMost(Duration.ofSeconds(10)).until(() -> events("window").size() == 1);
            clock.advance(EventSender.SERIES_WINDOW.plusSeconds(1));
            recorder.event(cm, EventRecorder.NORMAL, "Tick", "tick");
            await().atMost(Duration.ofSeconds(10)).until(() -> events("window").size() == 2);
            assertThat(events("window")).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
        }
    }
}
