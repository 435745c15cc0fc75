package io.kube4j.apiserver.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The budget's status write of an eviction conflicts with another writer: as upstream's EvictionsRetry, the eviction
 * reads the budget again after a pause of 500 ms (+ up to 10 % jitter), up to 20 attempts, and then answers with the
 * last conflict. The other writer is simulated at the worst moment: between the eviction's read of the budget and its
 * write (the eviction asks its clock for the disruptedPods timestamp there).
 */
class PodEvictionRetryTest {
    private static final String NS = "ns";

    @TempDir
    Path dir;
    EmbeddedStore store;
    Resources resources;
    GenericRegistry pods;
    GenericRegistry budgets;
    final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        resources.find("", "v1", "namespaces").orElseThrow()
                .create(null, parse("{\"metadata\":{\"name\":\"" + NS + "\"}}"), false, "test");
        pods = resources.find("", "v1", "pods").orElseThrow();
        budgets = resources.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        readyPod("p");
        budget("pdb", 5);
    }

    @AfterEach
    void close() {
        resources.close();
        store.close();
    }

    @Test
    void aConflictingBudgetWriteIsRetriedAfterAPauseWithTheBudgetReadAgain() {
        InterferingClock clock = new InterferingClock(3);
        eviction(clock).evict(NS, "p", evictionOf("p"), false);

        assertThat(clock.writes.get()).isEqualTo(3);
        assertThat(pauses).hasSize(3).allSatisfy(p -> assertThat(p)
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(550)));
        ObjectNode budget = budgets.get(NS, "pdb");
        // spent once, on the budget as the other writer left it
        assertThat(budget.path("status").path("disruptionsAllowed").asInt()).isEqualTo(4);
        assertThat(budget.path("status").path("disruptedPods").has("p")).isTrue();
        assertThat(budget.path("metadata").path("annotations").path("other-writer").asString()).isEqualTo("3");
        assertThat(pods.get(NS, "p").path("metadata").path("deletionTimestamp").isMissingNode()).isFalse();
    }

    @Test
    void twentyConflictsAnswerWithTheLastConflictAndEvictNothing() {
        // more conflicts than upstream's 20 attempts: a retry without end would spend the budget on the 26th
        InterferingClock clock = new InterferingClock(25);
        assertThatThrownBy(() -> eviction(clock).evict(NS, "p", evictionOf("p"), false))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo(StatusReason.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on poddisruptionbudgets.policy "
                            + "\"pdb\": the object has been modified; please apply your changes to the latest version "
                            + "and try again");
                });

        assertThat(clock.writes.get()).isEqualTo(EvictionRetry.STEPS);
        assertThat(pauses).hasSize(EvictionRetry.STEPS - 1);
        ObjectNode budget = budgets.get(NS, "pdb");
        assertThat(budget.path("status").path("disruptionsAllowed").asInt()).isEqualTo(5);
        assertThat(budget.path("status").path("disruptedPods").isMissingNode()).isTrue();
        assertThat(pods.get(NS, "p").path("metadata").path("deletionTimestamp").isMissingNode()).isTrue();
    }

    @Test
    void aBudgetSpentByTheOtherWriterMeanwhileRefusesOnTheNextAttempt() {
        // the other writer takes the last disruption: the retry reads that and refuses as upstream, with a 429
        budgetStatus("pdb", 1);
        Clock clock = new InterferingClock(1) {
            @Override
            void interfere() {
                budgets.guaranteedUpdate(NS, "pdb", true, false, true, b -> {
                    ObjectNode copy = b.deepCopy();
                    Json.child(copy, "status").put("disruptionsAllowed", 0);
                    return copy;
                });
            }
        };
        assertThatThrownBy(() -> eviction(clock).evict(NS, "p", evictionOf("p"), false))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(429);
                    assertThat(e.getMessage()).isEqualTo(
                            "Cannot evict pod as it would violate the pod's disruption budget.");
                });
        assertThat(pauses).hasSize(1);
        assertThat(pods.get(NS, "p").path("metadata").path("deletionTimestamp").isMissingNode()).isTrue();
    }

    private PodEviction eviction(Clock clock) {
        return new PodEviction(pods, budgets, clock, new EvictionRetry(pauses::add));
    }

    /** A clock that, on its first {@code times} readings, has another client write the budget first. */
    private class InterferingClock extends Clock {
        final AtomicInteger writes = new AtomicInteger();
        private final int times;

        InterferingClock(int times) {
            this.times = times;
        }

        void interfere() {
            int n = writes.get() + 1;
            budgets.guaranteedUpdate(NS, "pdb", true, false, false, b -> {
                ObjectNode copy = b.deepCopy();
                Json.child(Json.metadata(copy), "annotations").put("other-writer", Integer.toString(n));
                return copy;
            });
        }

        @Override
        public Instant instant() {
            if (writes.get() < times) {
                interfere();
                writes.incrementAndGet();
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode evictionOf(String name) {
        return parse("{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + NS + "\"}}");
    }

    private void readyPod(String name) {
        pods.create(NS, parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"a\"}},\"spec\":{\"nodeName\":\"n\",\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}]}}"), false, "test");
        pods.guaranteedUpdate(NS, name, true, false, true, p -> {
            ObjectNode copy = p.deepCopy();
            ObjectNode status = Json.child(copy, "status");
            status.put("phase", "Running");
            ObjectNode ready = status.putArray("conditions").addObject();
            ready.put("type", "Ready");
            ready.put("status", "True");
            return copy;
        });
    }

    private void budget(String name, int allowed) {
        budgets.create(NS, parse("{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{"
                + "\"name\":\"" + name + "\"},\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{"
                + "\"app\":\"a\"}}}}"), false, "test");
        budgetStatus(name, allowed);
    }

    private void budgetStatus(String name, int allowed) {
        budgets.guaranteedUpdate(NS, name, true, false, true, b -> {
            ObjectNode copy = b.deepCopy();
            ObjectNode status = Json.child(copy, "status");
            status.put("observedGeneration", b.path("metadata").path("generation").asLong());
            status.put("disruptionsAllowed", allowed);
            status.put("currentHealthy", 6);
            status.put("desiredHealthy", 1);
            status.put("expectedPods", 6);
            return copy;
        });
    }
}
