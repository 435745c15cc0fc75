package io.kube4j.apiserver.endpoints;

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
        ListResponses.writeStored(sink, registry.type(), page, kv -> Json.bytes(registry.decode(kv)));
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
    void resourceVersionZeroIsLeftToTheWatchCache() {
        assertThat(pods.listStored("ns", options(null, null, 0, null, "0", null))).isEmpty();
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
