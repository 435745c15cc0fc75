package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.registry.ObjectCodec;
import io.kube4j.store.KeyValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-event work the fan-out shares between watchers: selection matching, the encoded line, decoding. */
class CachedEventTest {

    private static final CacheForm FORM = CacheForm.decoding(ObjectCodec::decode);

    private static CachedObject entry(String namespace, String app, long revision) {
        byte[] stored = ("{\"metadata\":{\"name\":\"x\",\"namespace\":\"" + namespace
                + "\",\"labels\":{\"app\":\"" + app + "\"}}}").getBytes(StandardCharsets.UTF_8);
        return CachedObject.read(new KeyValue("/k", stored, 1, revision, 1, 0), FORM);
    }

    /** A test that counts how often it reads an object: the work a watcher would repeat without sharing. */
    private static Predicate<CachedObject> counting(String app, AtomicInteger reads) {
        return entry -> {
            reads.incrementAndGet();
            return app.equals(entry.attributes().labels().get("app"));
        };
    }

    @Test
    void watchersWithEqualSelectionsShareOneMatchPerEvent() {
        CachedEvent event = new CachedEvent(EventType.MODIFIED, "/k", entry("a", "web", 5), entry("a", "db", 4), 5);
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
        CachedEvent event = new CachedEvent(EventType.MODIFIED, "/k", entry("a", "web", 5), entry("a", "db", 4), 5);
        AtomicInteger reads = new AtomicInteger();
        assertThat(event.matches("app=web", counting("web", reads))).isEqualTo(CachedEvent.NOW);
        assertThat(event.matches("app=db", counting("db", reads))).isEqualTo(CachedEvent.BEFORE);
        assertThat(event.matches("app=none", counting("none", reads))).isZero();
        assertThat(event.matches("app=web", counting("web", reads))).isEqualTo(CachedEvent.NOW);
        assertThat(reads.get()).isEqualTo(8);
    }

    @Test
    void anEventWithoutAPreviousObjectNeverMatchesBefore() {
        CachedEvent event = new CachedEvent(EventType.ADDED, "/k", entry("a", "web", 5), null, 5);
        AtomicInteger reads = new AtomicInteger();
        assertThat(event.matches("all", obj -> {
            reads.incrementAndGet();
            return true;
        })).isEqualTo(CachedEvent.NOW);
        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void theAttributesAreReadOnceAtWriteTime() {
        CachedObject entry = entry("ns1", "web", 3);
        assertThat(entry.attributes().namespace()).isEqualTo("ns1");
        assertThat(entry.attributes().name()).isEqualTo("x");
        assertThat(entry.attributes().labels()).containsExactlyEntriesOf(java.util.Map.of("app", "web"));
        // without a strategy no field label was read: a selection on one reads the object
        assertThat(entry.attributes().field("metadata.name", null)).isNull();
    }

    @Test
    void aDeleteServesTheLastStateAtTheDeletesResourceVersion() {
        CachedObject last = entry("a", "web", 4);
        CachedEvent event = new CachedEvent(EventType.DELETED, "/k", last, last, 9);
        assertThat(event.objectRevision()).isEqualTo(9);
        assertThat(event.object().path("metadata").path("resourceVersion").asString()).isEqualTo("9");
        assertThat(new String(event.line(EventType.DELETED).bytes(), StandardCharsets.UTF_8)).contains(
                "\"resourceVersion\":\"9\"").contains("\"app\":\"web\"");
        // the previous object keeps its own version
        assertThat(event.previous().path("metadata").path("resourceVersion").asString()).isEqualTo("4");
    }

    @Test
    void everyDecodeIsANewTreeTheCallerMayChange() {
        CachedObject entry = entry("a", "web", 5);
        ObjectNode first = entry.object();
        first.withObject("metadata").put("name", "changed");
        assertThat(entry.object().path("metadata").path("name").asString()).isEqualTo("x");
        assertThat(entry.object()).isNotSameAs(entry.object());
    }
}
