package io.kube4j.api.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Repeats within client-go's 10-minute window count up on one Event; other events, and later repeats, stay apart. */
class EventSenderTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.250Z");

    /** Every Event created, in order. */
    private final List<Event> created = new CopyOnWriteArrayList<>();
    /** The names of the Events the server still has: a patch of another fails as the API's 404 does. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    /** "index-of-the-patched-Event patch", in order. */
    private final List<String> patches = new CopyOnWriteArrayList<>();
    /** Set: the next patch fails as an unavailable server makes it fail. */
    private final AtomicBoolean failNextPatch = new AtomicBoolean();
    private final EventSender sender = new EventSender(new EventSender.Sink(
            event -> {
                created.add(event);
                stored.add(event.getMetadata().getName());
                return event;
            },
            (event, patch) -> {
                if (failNextPatch.getAndSet(false)) {
                    throw new IllegalStateException("server unavailable");
                }
                if (!stored.contains(event.getMetadata().getName())) {
                    throw new NotFound();
                }
                patches.add(created.indexOf(event) + " " + patch);
            },
            NotFound.class::isInstance),
            new EventSourceBuilder().withComponent("tester").withHost("host-1").build(), "tester-1", 100);

    private static final class NotFound extends RuntimeException {
    }

    /** A Warning about pod ns/p (at {@code fieldPath} in it, or the whole pod). */
    private void send(String message, String fieldPath, Instant at) {
        sender.send("ns", new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace("ns")
                .withName("p").withUid("u1").withFieldPath(fieldPath).build(), "Warning", "Failed", message, at);
    }

    @AfterEach
    void close() {
        sender.close();
    }

    @Test
    void anEventIsNamedAfterItsObjectAndCarriesTheSendersSource() {
        send("it broke", null, T0);
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 1);
        Event event = created.get(0);
        assertThat(event.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(event.getMetadata().getName()).startsWith("p.");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo("u1");
        assertThat(event.getFirstTimestamp()).isEqualTo("2026-11-26T10:00:00Z").isEqualTo(event.getLastTimestamp());
        assertThat(event.getCount()).isEqualTo(1);
        assertThat(event.getSource().getComponent()).isEqualTo("tester");
        assertThat(event.getSource().getHost()).isEqualTo("host-1");
        assertThat(event.getReportingComponent()).isEqualTo("tester");
        assertThat(event.getReportingInstance()).isEqualTo("tester-1");
    }

    @Test
    void anEventAboutAClusterScopedObjectGoesToTheDefaultNamespace() {
        sender.send(null, new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName("n1").build(),
                "Normal", "Starting", "starting", T0);
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 1);
        assertThat(created.get(0).getMetadata().getNamespace()).isEqualTo("default");
    }

    @Test
    void repeatsWithinTheWindowPatchTheCountOfTheFirst() {
        for (int i = 0; i < 3; i++) {
            send("it broke", null, T0.plus(Duration.ofMinutes(i)));
        }
        send("another message", null, T0);
        send("it broke", "spec.containers{app}", T0);
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 3);
        assertThat(created).extracting(e -> e.getMessage() + " " + e.getInvolvedObject().getFieldPath())
                .containsExactly("it broke null", "another message null", "it broke spec.containers{app}");
        assertThat(created).extracting(e -> e.getMetadata().getName()).doesNotHaveDuplicates();
        assertThat(patches).containsExactly(
                "0 {\"count\":2,\"lastTimestamp\":\"2026-11-26T10:01:00Z\"}",
                "0 {\"count\":3,\"lastTimestamp\":\"2026-11-26T10:02:00Z\"}");
    }

    @Test
    void aRepeatAfterTheWindowStartsANewEvent() {
        send("tick", null, T0);
        send("tick", null, T0.plus(EventSender.SERIES_WINDOW));
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 2);
        assertThat(patches).isEmpty();
    }

    @Test
    void aRepeatOfAnEventTheServerNoLongerHasStartsANewSeries() {
        send("it broke", null, T0);
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 1);
        stored.clear(); // expired
        send("it broke", null, T0.plusSeconds(1));
        send("it broke", null, T0.plusSeconds(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 2 && patches.size() == 1);
        assertThat(patches).containsExactly("1 {\"count\":2,\"lastTimestamp\":\"2026-11-26T10:00:02Z\"}");
    }

    @Test
    void aRepeatWhosePatchFailsOtherwiseIsDroppedAndTheNextStartsAfresh() {
        failNextPatch.set(true);
        for (int i = 0; i < 3; i++) {
            send("it broke", null, T0.plusSeconds(i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 2);
        assertThat(created).extracting(Event::getLastTimestamp)
                .containsExactly("2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z");
        assertThat(patches).isEmpty();
    }
}
