package io.kube4j.apiserver.endpoints;

import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.printers.TablePrinters;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.ListPage;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.apiserver.registry.StoredListPage;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list written from stored bytes is byte for byte the list encoded as one tree (the way lists were answered
 * before), for whole lists, pages with continue tokens, exact resourceVersions and selectors.
 */
class StreamedListTest {

    @TempDir
    static Path dir;
    static EmbeddedStore store;
    static Resources resources;
    static GenericRegistry pods;
    static GenericRegistry configMaps;
    static long revisionAfterFirstBatch;

    @BeforeAll
    static void fill() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        resources.find("", "v1", "namespaces").orElseThrow().create(null, (ObjectNode) Json.parse(
                "{\"metadata\":{\"name\":\"ns\"}}".getBytes(StandardCharsets.UTF_8)), false, "test");
        pods = resources.find("", "v1", "pods").orElseThrow();
        configMaps = resources.find("", "v1", "configmaps").orElseThrow();
        for (int i = 0; i < 7; i++) {
            pods.create("ns", pod("p-" + i, i % 2 == 0 ? "even" : "odd"), false, "test");
        }
        revisionAfterFirstBatch = store.currentRevision();
        pods.create("ns", pod("p-7", "odd"), false, "test");
        // unusual but valid content: escapes, non-ASCII, an empty map, a client-sent resourceVersion
        configMaps.create("ns", (ObjectNode) Json.parse(("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                + "{\"name\":\"odd\",\"resourceVersion\":\"\",\"annotations\":{}},\"data\":{\"k\":\"a\\\"\\\\\\n\\u0001 é "
                + "\\/x\"}}").getBytes(StandardCharsets.UTF_8)), false, null);
        configMaps.create("ns", (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"plain\"}}"
                .getBytes(StandardCharsets.UTF_8)), false, null);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static ObjectNode pod(String name, String parity) {
        return (ObjectNode) Json.parse(("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"parity\":\"" + parity + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox:1.36\",\"ports\":[{\"containerPort\":80}]}]}}").getBytes(StandardCharsets.UTF_8));
    }

    private static ListOptions options(String labels, String fields, long limit, String continueToken, String rv,
                                       String rvMatch) {
        return new ListOptions(labels == null ? LabelSelector.everything() : LabelSelector.parse(labels),
                fields == null ? FieldSelector.everything() : FieldSelector.parse(fields), limit, continueToken, rv,
                rvMatch, false, null, null);
    }

    /** The list as it was answered before streaming: one tree, one encoding. */
    private static String asOneTree(GenericRegistry registry, ListPage page) {
        ObjectNode out = Json.object();
        out.put("kind", registry.type().kind() + "List");
        out.put("apiVersion", registry.type().apiVersion());
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) {
            metadata.put("continue", page.continueToken());
        }
        if (page.remainingItemCount() > 0) {
            metadata.put("remainingItemCount", page.remainingItemCount());
        }
        ArrayNode items = out.putArray("items");
        page.items().forEach(items::add);
        return new String(Json.bytes(out), StandardCharsets.UTF_8);
    }

    private static String streamed(GenericRegistry registry, StoredListPage page) {
        Capture sink = new Capture();
        ListResponses.writeStored(sink, registry.type(), page, item -> Json.bytes(registry.decode(item.kv())));
        return sink.text();
    }

    private static String streamedDecoded(GenericRegistry registry, ListPage page) {
        Capture sink = new Capture();
        ListResponses.writeDecoded(sink, registry.type(), page, Json::bytes);
        return sink.text();
    }

    /** The stored and the decoded list of the same options: both are returned, after checking they are equal. */
    private static String assertSameList(GenericRegistry registry, String ns, ListOptions options) {
        ListPage decoded = registry.list(ns, options);
        StoredListPage stored = registry.listStored(ns, options).orElseThrow();
        String expected = asOneTree(registry, decoded);
        assertThat(streamed(registry, stored)).isEqualTo(expected);
        assertThat(streamedDecoded(registry, decoded)).isEqualTo(expected);
        return expected;
    }

    @Test
    void wholeListsAreByteForByteTheTreeEncoding() {
        JsonNode list = Json.parse(assertSameList(pods, "ns", ListOptions.everything())
                .getBytes(StandardCharsets.UTF_8));
        assertThat(list.path("items")).hasSize(8);
        assertThat(list.path("items").get(0).path("metadata").path("resourceVersion").asString()).isNotEmpty();
        assertSameList(configMaps, "ns", ListOptions.everything());
        assertSameList(pods, null, ListOptions.everything());
        assertSameList(pods, "empty", ListOptions.everything());
        assertThat(configMaps.listStored("ns", ListOptions.everything()).orElseThrow().items())
                .allMatch(item -> item.resourceVersionSlot() > 0);
    }

    @Test
    void pagesAndContinueTokensAreTheSame() {
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListOptions page = options(null, null, 3, token, null, null);
            JsonNode list = Json.parse(assertSameList(pods, "ns", page).getBytes(StandardCharsets.UTF_8));
            list.path("items").forEach(item -> names.add(item.path("metadata").path("name").asString()));
            token = list.path("metadata").path("continue").asString(null);
            if (token != null) {
                assertThat(list.path("metadata").path("remainingItemCount").asLong()).isPositive();
            }
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("p-0", "p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7");
    }

    @Test
    void exactAndNotOlderThanResourceVersionsAreTheSame() {
        String exact = assertSameList(pods, "ns", options(null, null, 0, null,
                Long.toString(revisionAfterFirstBatch), "Exact"));
        JsonNode list = Json.parse(exact.getBytes(StandardCharsets.UTF_8));
        assertThat(list.path("items")).as("the list as it was before p-7").hasSize(7);
        assertThat(list.path("metadata").path("resourceVersion").asString())
                .isEqualTo(Long.toString(revisionAfterFirstBatch));
        assertSameList(pods, "ns", options(null, null, 2, null, Long.toString(revisionAfterFirstBatch), null));
        assertSameList(pods, "ns", options(null, null, 0, null, Long.toString(revisionAfterFirstBatch),
                "NotOlderThan"));
    }

    @Test
    void selectorsAreTheSame() {
        String even = assertSameList(pods, "ns", options("parity=even", null, 0, null, null, null));
        assertThat(Json.parse(even.getBytes(StandardCharsets.UTF_8)).path("items")).hasSize(4);
        assertSameList(pods, "ns", options("parity=odd", null, 2, null, null, null));
        String one = assertSameList(pods, "ns", options(null, "metadata.name=p-3", 0, null, null, null));
        assertThat(Json.parse(one.getBytes(StandardCharsets.UTF_8)).path("items")).hasSize(1);
        assertSameList(pods, null, options(null, "metadata.namespace=ns,status.phase=Pending", 0, null, null, null));
    }

    @Test
    void resourceVersionZeroListsAreTheWatchCachesObjectsAsStored() throws InterruptedException {
        assertThat(pods.cache().awaitRevision(store.currentRevision(), 10_000)).isTrue();
        assertThat(configMaps.cache().awaitRevision(store.currentRevision(), 10_000)).isTrue();
        ListOptions zero = options(null, null, 0, null, "0", null);
        String all = assertSameList(pods, "ns", zero);
        assertThat(Json.parse(all.getBytes(StandardCharsets.UTF_8)).path("items")).hasSize(8);
        assertSameList(pods, null, zero);
        assertSameList(configMaps, "ns", zero);
        assertSameList(pods, "ns", options("parity=odd", null, 0, null, "0", null));
        assertSameList(pods, null, options(null, "metadata.name=p-2", 0, null, "0", null));
        // the watch cache's stored values are handed over as they are: nothing is decoded for a list at
        // resourceVersion 0, and the items (with their offsets) are the ones the previous list made
        StoredListPage page = pods.listStored("ns", zero).orElseThrow();
        assertThat(page.items()).hasSize(8).allSatisfy(item -> {
            assertThat(item.object()).isNull();
            assertThat(item.resourceVersionSlot()).isPositive();
            assertThat(item.kv()).isSameAs(pods.cache().cached(item.kv()).stored());
        });
        StoredListPage again = pods.listStored("ns", zero).orElseThrow();
        for (int i = 0; i < page.items().size(); i++) {
            assertThat(again.items().get(i)).isSameAs(page.items().get(i));
        }
    }

    @Test
    void aListFromTheStoreUsesTheWatchCachesObjectsOfTheSameVersion() throws InterruptedException {
        assertThat(pods.cache().awaitRevision(store.currentRevision(), 10_000)).isTrue();
        // the cache's stored values, each decoded for the Table that asked for objects (the cache keeps no tree)
        StoredListPage page = pods.listStored("ns", ListOptions.everything(), true).orElseThrow();
        assertThat(page.items()).hasSize(8).allSatisfy(item -> {
            assertThat(item.kv()).isSameAs(pods.cache().cached(item.kv()).stored());
            assertThat(item.object()).isNotNull().isEqualTo(pods.decode(item.kv()));
        });
        // an older version than the cache's is decoded instead, and is what decoding gives
        StoredListPage old = pods.listStored("ns", options(null, null, 0, null, Long.toString(revisionAfterFirstBatch),
                "Exact"), true).orElseThrow();
        assertThat(old.items()).hasSize(7);
        for (StoredListPage.Item item : old.items()) {
            assertThat(item.object()).isEqualTo(pods.decode(item.kv()));
        }
    }

    /** The kind's printer with a fixed clock, so that two renderings of the same objects have the same ages. */
    private static TablePrinter fixedClock(GenericRegistry registry) {
        TablePrinter real = TablePrinters.forKind(registry.type().group(), registry.type().kind());
        Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
        return new TablePrinter() {
            @Override
            public List<Column> columns() {
                return real.columns();
            }

            @Override
            public List<Object> cells(ObjectNode obj, Instant now) {
                return real.cells(obj, fixed);
            }
        };
    }

    /** A Table written row by row from stored bytes is byte for byte the Table encoded as one tree, for every mode. */
    private static void assertSameTable(GenericRegistry registry, String ns, ListOptions options) {
        TablePrinter printer = fixedClock(registry);
        ListPage decoded = registry.list(ns, options);
        StoredListPage stored = registry.listStored(ns, options, true).orElseThrow();
        for (String includeObject : new String[] {null, "Metadata", "Object", "None"}) {
            String expected = new String(Json.bytes(Tables.table(registry.type(), printer, decoded.items(), true,
                    includeObject, Long.toString(decoded.revision()), decoded.continueToken(),
                    decoded.remainingItemCount())), StandardCharsets.UTF_8);
            Capture fromStored = new Capture();
            TableResponses.writeStored(fromStored, printer, stored, includeObject, Tables.V1);
            assertThat(fromStored.text()).as("includeObject=" + includeObject).isEqualTo(expected);
            Capture fromDecoded = new Capture();
            TableResponses.writeDecoded(fromDecoded, printer, decoded, includeObject, Tables.V1);
            assertThat(fromDecoded.text()).as("includeObject=" + includeObject).isEqualTo(expected);
        }
    }

    @Test
    void tablesAreByteForByteTheTreeEncoding() throws InterruptedException {
        assertSameTable(pods, "ns", ListOptions.everything());
        assertSameTable(pods, null, ListOptions.everything());
        assertSameTable(pods, "empty", ListOptions.everything());
        // escapes, non-ASCII and an empty map in the copied metadata
        assertSameTable(configMaps, "ns", ListOptions.everything());
        assertSameTable(pods, "ns", options(null, null, 3, null, null, null));
        assertSameTable(pods, "ns", options("parity=odd", null, 0, null, null, null));
        assertSameTable(pods, "ns", options(null, null, 0, null, Long.toString(revisionAfterFirstBatch), "Exact"));
        assertThat(pods.cache().awaitRevision(store.currentRevision(), 10_000)).isTrue();
        assertThat(configMaps.cache().awaitRevision(store.currentRevision(), 10_000)).isTrue();
        assertSameTable(pods, null, options(null, null, 0, null, "0", null));
        assertSameTable(configMaps, "ns", options(null, null, 0, null, "0", null));
        String table = new String(Json.bytes(Tables.table(pods.type(), fixedClock(pods),
                pods.list("ns", ListOptions.everything()).items(), true, null, "1", null, -1)), StandardCharsets.UTF_8);
        assertThat(Json.parse(table.getBytes(StandardCharsets.UTF_8)).path("rows")).hasSize(8);
    }

    /**
     * A PartialObjectMetadataList written from stored bytes (each item's metadata copied) is byte for byte the one
     * written from the decoded objects, each item encoded from its PartialObjectMetadata tree.
     */
    private static void assertSamePartialList(GenericRegistry registry, String ns, ListOptions options,
                                              String apiVersion) {
        ListPage decoded = registry.list(ns, options);
        StoredListPage stored = registry.listStored(ns, options, false).orElseThrow();
        Capture fromStored = new Capture();
        PartialObjectMetadataResponses.writeStored(fromStored, apiVersion, stored,
                item -> item.object() != null ? item.object() : registry.decode(item.kv()));
        Capture fromDecoded = new Capture();
        PartialObjectMetadataResponses.writeDecoded(fromDecoded, apiVersion, decoded);
        assertThat(fromStored.text()).isEqualTo(fromDecoded.text());
        JsonNode list = Json.parse(fromDecoded.body);
        assertThat(list.path("kind").asString()).isEqualTo("PartialObjectMetadataList");
        assertThat(list.path("apiVersion").asString()).isEqualTo(apiVersion);
        assertThat(list.path("metadata").path("resourceVersion").asString())
                .isEqualTo(Long.toString(decoded.revision()));
        assertThat(list.path("items")).hasSize(decoded.items().size());
        for (int i = 0; i < decoded.items().size(); i++) {
            assertThat(list.path("items").get(i))
                    .isEqualTo(PartialObjectMetadata.of(decoded.items().get(i), apiVersion));
        }
    }

    @Test
    void partialObjectMetadataListsAreByteForByteTheTreeEncoding() throws InterruptedException {
        assertSamePartialList(pods, "ns", ListOptions.everything(), "meta.k8s.io/v1");
        assertSamePartialList(pods, null, ListOptions.everything(), "meta.k8s.io/v1beta1");
        assertSamePartialList(pods, "empty", ListOptions.everything(), "meta.k8s.io/v1");
        // escapes, non-ASCII and an empty map in the copied metadata
        assertSamePartialList(configMaps, "ns", ListOptions.everything(), "meta.k8s.io/v1");
        assertSamePartialList(pods, "ns", options(null, null, 3, null, null, null), "meta.k8s.io/v1");
        assertThat(pods.cache().awaitRevision(store.currentRevision(), 10_000)).isTrue();
        assertSamePartialList(pods, null, options(null, null, 0, null, "0", null), "meta.k8s.io/v1");
    }

    /** Keeps what a handler answers through the sink's default (collecting) body. */
    private static final class Capture implements ResponseSink {
        private byte[] body;

        @Override
        public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
            assertThat(status).isEqualTo(200);
            this.body = body;
        }

        @Override
        public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
            throw new IllegalStateException("a list does not stream events");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
