package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-event work the fan-out shares between watchers: selection matching and the encoded line. */
class CachedEventTest {

    private static ObjectNode object(String namespace, String app) {
        return (ObjectNode) Json.parse(("{\"metadata\":{\"name\":\"x\",\"namespace\":\"" + namespace
                + "\",\"labels\":{\"app\":\"" + app + "\"}}}").getBytes(StandardCharsets.UTF_8));
    }

    /** A test that counts how often it reads an object: the work a watcher would repeat without sharing. */
    private static Predicate<ObjectNode> counting(String app, AtomicInteger reads) {
        return obj -> {
            reads.incrementAndGet();
            return app.equals(Json.text(obj, "metadata", "labels", "app"));
        };
    }

    @Test
    void watchersWithEqualSelectionsShareOneMatchPerEvent() {
        CachedEvent event = new CachedEvent(EventType.MODIFIED, "/k", object("a", "web"), object("a", "db"), 5);
        AtomicInteger reads = new AtomicInteger();
        for (int watcher = 0; watcher < 1000; watcher++) {
            // each watcher has its own selection object, equal to the others'
            String selection = new String("app=web");
            assertThat(event.matches(selection, counting("web", reads))).isEqualTo(CachedEvent.NOW);
        }
        // the object after and the one before, read once for all thousand watchers
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void aDifferentSelectionGetsItsOwnAnswer() {
        CachedEvent event = new CachedEvent(EventType.MODIFIED, "/k", object("a", "web"), object("a", "db"), 5);
        AtomicInteger reads = new AtomicInteger();
        assertThat(event.matches("app=web", counting("web", reads))).isEqualTo(CachedEvent.NOW);
        assertThat(event.matches("app=db", counting("db", reads))).isEqualTo(CachedEvent.BEFORE);
        assertThat(event.matches("app=none", counting("none", reads))).isZero();
        assertThat(event.matches("app=web", counting("web", reads))).isEqualTo(CachedEvent.NOW);
        assertThat(reads.get()).isEqualTo(8);
    }

    @Test
    void anEventWithoutAPreviousObjectNeverMatchesBefore() {
        CachedEvent event = new CachedEvent(EventType.ADDED, "/k", object("a", "web"), null, 5);
        AtomicInteger reads = new AtomicInteger();
        assertThat(event.matches("all", obj -> {
            reads.incrementAndGet();
            return true;
        })).isEqualTo(CachedEvent.NOW);
        assertThat(reads.get()).isEqualTo(1);
    }
}
