package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.embedded.EmbeddedStore;
import io.kube4j.store.embedded.EmbeddedStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Lists without a resourceVersion (what kubectl and client libraries send) are consistent reads served from the
 * watch cache once it has caught up with the store: a list right after a write sees it, whatever else was written
 * meanwhile; a lagging cache hands the list to the store; pages, continuations and Exact stay on the store.
 */
class ConsistentListTest {

    @TempDir
    Path dir;
    EmbeddedStore store;
    Resources resources;
    GenericRegistry configMaps;
    GenericRegistry secrets;

    @BeforeEach
    void open() {
        // periodic progress notifications an hour apart: only an asked-for one tells a quiet cache it is current
        store = EmbeddedStore.open(dir, EmbeddedStoreOptions.defaults().withProgressInterval(Duration.ofHours(1)));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        resources.find("", "v1", "namespaces").orElseThrow().create(null, object("{\"metadata\":{\"name\":\"ns\"}}"),
                false, "test");
        configMaps = resources.find("", "v1", "configmaps").orElseThrow();
        secrets = resources.find("", "v1", "secrets").orElseThrow();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode configMap(String name, String value) {
        return object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\"},\"data\":{\"k\":\"" + value + "\"}}");
    }

    private static ListOptions options(long limit, String continueToken, String rv, String rvMatch) {
        return new ListOptions(LabelSelector.everything(), FieldSelector.everything(), limit, continueToken, rv,
                rvMatch, false, null, null);
    }

    private static List<String> names(ListPage page) {
        return page.items().stream().map(o -> o.path("metadata").path("name").asString()).toList();
    }

    private static List<String> storedNames(StoredListPage page) {
        return page.items().stream().map(i -> i.kv().key().substring(i.kv().key().lastIndexOf('/') + 1)).toList();
    }

    @Test
    void aListRightAfterAWriteSeesIt() {
        for (int i = 0; i < 50; i++) {
            ObjectNode created = configMaps.create("ns", configMap("cm-" + i, "v"), false, "test");
            long rv = Long.parseLong(created.path("metadata").path("resourceVersion").asString());
            StoredListPage stored = configMaps.listStored("ns", ListOptions.everything()).orElseThrow();
            assertThat(storedNames(stored)).hasSize(i + 1).contains("cm-" + i);
            assertThat(stored.revision()).isGreaterThanOrEqualTo(rv);
            ListPage decoded = configMaps.list("ns", ListOptions.everything());
            assertThat(names(decoded)).hasSize(i + 1).contains("cm-" + i);
            // a write to another resource moves the store on; the next list must still be at least that recent
            secrets.create("ns", object("{\"metadata\":{\"name\":\"s-" + i + "\"}}"), false, "test");
            long afterOther = store.currentRevision();
            assertThat(configMaps.listStored("ns", ListOptions.everything()).orElseThrow().revision())
                    .isGreaterThanOrEqualTo(afterOther);
        }
        configMaps.delete("ns", "cm-7", DeleteOptions.defaults(), false);
        assertThat(names(configMaps.list("ns", ListOptions.everything()))).hasSize(49).doesNotContain("cm-7");
    }

    @Test
    void anUpdateIsSeenByTheNextListWithItsResourceVersion() {
        configMaps.create("ns", configMap("u", "0"), false, "test");
        for (int i = 1; i <= 20; i++) {
            ObjectNode current = configMaps.get("ns", "u");
            current.withObject("data").put("k", Integer.toString(i));
            ObjectNode updated = configMaps.update("ns", "u", current, false, false);
            String rv = updated.path("metadata").path("resourceVersion").asString();
            String expected = Integer.toString(i);
            for (String listRv : new String[] {null, rv}) {
                ListPage page = configMaps.list("ns", options(0, null, listRv, null));
                assertThat(page.items()).singleElement().satisfies(o -> {
                    assertThat(o.path("data").path("k").asString()).isEqualTo(expected);
                    assertThat(o.path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
                });
            }
        }
    }

    @Test
    void aLaggingCacheHandsTheListToTheStore() {
        configMaps.create("ns", configMap("before", "v"), false, "test");
        // the cache applies the store's events on its own thread: let it see "before" before it stops following
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(names(configMaps.list("ns", options(0, null, "0", null)))).containsExactly("before"));
        // a cache that no longer follows the store can never catch up: the list must come from the store
        configMaps.cache().close();
        configMaps.create("ns", configMap("after", "v"), false, "test");
        assertThat(names(configMaps.list("ns", ListOptions.everything()))).containsExactly("after", "before");
        assertThat(storedNames(configMaps.listStored("ns", ListOptions.everything()).orElseThrow()))
                .containsExactly("after", "before");
        // resourceVersion=0 is served as the cache is, stale or not: "any version", as upstream
        assertThat(names(configMaps.list("ns", options(0, null, "0", null)))).containsExactly("before");
    }

    @Test
    void pagesContinuationsAndExactStayOnTheStore() {
        for (int i = 0; i < 5; i++) {
            configMaps.create("ns", configMap("p-" + i, "v"), false, "test");
        }
        long atFive = store.currentRevision();
        long atSix = Long.parseLong(configMaps.create("ns", configMap("p-5", "v"), false, "test")
                .path("metadata").path("resourceVersion").asString());
        ListPage first = configMaps.list("ns", options(2, null, null, null));
        assertThat(names(first)).containsExactly("p-0", "p-1");
        assertThat(first.continueToken()).isNotNull();
        assertThat(first.remainingItemCount()).isEqualTo(4);
        ListPage second = configMaps.list("ns", options(2, first.continueToken(), null, null));
        assertThat(names(second)).containsExactly("p-2", "p-3");
        assertThat(second.revision()).isEqualTo(first.revision());
        ListPage exact = configMaps.list("ns", options(0, null, Long.toString(atFive), "Exact"));
        assertThat(names(exact)).hasSize(5).doesNotContain("p-5");
        assertThat(exact.revision()).isEqualTo(atFive);
        // not older than a revision: that state or a later one (from the cache once it has seen the revision)
        ListPage notOlder = configMaps.list("ns", options(0, null, Long.toString(atFive), "NotOlderThan"));
        assertThat(notOlder.revision()).isGreaterThanOrEqualTo(atFive);
        assertThat(names(notOlder)).startsWith("p-0", "p-1", "p-2", "p-3", "p-4");
        for (String match : new String[] {"NotOlderThan", null}) {
            ListPage page = configMaps.list("ns", options(0, null, Long.toString(atSix), match));
            assertThat(page.revision()).isGreaterThanOrEqualTo(atSix);
            assertThat(names(page)).hasSize(6).contains("p-5");
        }
        // resourceVersion=0 with a limit is served whole from the cache, as upstream's cacher does
        assertThat(configMaps.list("ns", options(2, null, "0", null)).continueToken()).isNull();
        long future = store.currentRevision() + 100;
        assertThatThrownBy(() -> configMaps.list("ns", options(0, null, Long.toString(future), null)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(504));
    }
}
