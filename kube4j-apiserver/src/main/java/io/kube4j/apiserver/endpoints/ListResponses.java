package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.ListPage;
import io.kube4j.apiserver.registry.StoredListPage;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a list response ({@code {"kind":"<Kind>List","apiVersion":..,"metadata":{..},"items":[..]}}) to the
 * sink in pieces, one item after the other, instead of building the whole list as one tree and one array. From
 * stored values, an item is its stored bytes with {@code "resourceVersion":"N"} inserted at the end of its
 * metadata - byte for byte what decoding and encoding it would give - so a large list costs a copy per item.
 */
final class ListResponses {

    private static final byte[] COMMA = {','};
    private static final byte[] RESOURCE_VERSION = ",\"resourceVersion\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOTE = {'"'};
    private static final byte[] TAIL = {']', '}'};

    private ListResponses() {
    }

    /**
     * A list of stored values; {@code fallback} encodes an item whose bytes cannot be served as they are (the
     * decode path). Every fallback item is encoded before the response starts, so a bad stored object is still
     * answered with a Status rather than a cut response.
     */
    static void writeStored(ResponseSink sink, ResourceType type, StoredListPage page,
                            Function<StoredListPage.Item, byte[]> fallback) {
        List<StoredListPage.Item> items = page.items();
        byte[][] encoded = new byte[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).resourceVersionSlot() < 0) {
                encoded[i] = fallback.apply(items.get(i));
            }
        }
        byte[] head = head(type, page.revision(), page.continueToken(), page.remainingItemCount());
        write(sink, head, items.size(), (body, i) -> {
            if (encoded[i] != null) {
                body.write(encoded[i]);
                return;
            }
            StoredListPage.Item item = items.get(i);
            byte[] value = item.kv().value();
            int slot = item.resourceVersionSlot();
            body.write(value, 0, slot);
            writeResourceVersion(body, item);
            body.write(value, slot, value.length - slot);
        });
    }

    /**
     * {@code "resourceVersion":"N"} as decoding would append it to the item's metadata, written where the stored
     * bytes' metadata closes (at {@link StoredListPage.Item#resourceVersionSlot}).
     */
    static void writeResourceVersion(ResponseSink.BodyWriter body, StoredListPage.Item item) {
        byte[] value = item.kv().value();
        int slot = item.resourceVersionSlot();
        // an empty metadata object takes the field without a comma before it
        int skipComma = value[slot - 1] == '{' ? 1 : 0;
        body.write(RESOURCE_VERSION, skipComma, RESOURCE_VERSION.length - skipComma);
        body.write(Long.toString(item.kv().modRevision()).getBytes(StandardCharsets.US_ASCII));
        body.write(QUOTE);
    }

    /** A list of decoded objects, each encoded by {@code encoder} as it is written. */
    static void writeDecoded(ResponseSink sink, ResourceType type, ListPage page,
                             Function<ObjectNode, byte[]> encoder) {
        List<ObjectNode> items = page.items();
        byte[] head = head(type, page.revision(), page.continueToken(), page.remainingItemCount());
        write(sink, head, items.size(), (body, i) -> body.write(encoder.apply(items.get(i))));
    }

    interface ItemWriter {
        void write(ResponseSink.BodyWriter body, int index);
    }

    /** {@code head}, then the items separated by commas, then {@code ]}}; a failure part-way breaks the response. */
    static void write(ResponseSink sink, byte[] head, int count, ItemWriter items) {
        ResponseSink.BodyWriter body = sink.body(200, MediaTypes.JSON, Map.of());
        try {
            body.write(head);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    body.write(COMMA);
                }
                items.write(body, i);
            }
            body.write(TAIL);
        } catch (RuntimeException | Error e) {
            // part of the list may be on its way: the client must see a broken response, never a short list
            body.abort();
            throw e;
        }
        body.close();
    }

    /**
     * Everything before the first item, encoded by the same mapper as the items so that the whole response is
     * what encoding the list as one tree gives: the list with no items, less its closing {@code "]}"}.
     */
    private static byte[] head(ResourceType type, long revision, String continueToken, long remainingItemCount) {
        return head(type.kind() + "List", type.apiVersion(), revision, continueToken, remainingItemCount);
    }

    /** As above for a list of any kind ({@code PartialObjectMetadataList}). */
    static byte[] head(String kind, String apiVersion, long revision, String continueToken, long remainingItemCount) {
        ObjectNode out = Json.object();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(revision));
        if (continueToken != null) {
            metadata.put("continue", continueToken);
        }
        if (remainingItemCount > 0) {
            metadata.put("remainingItemCount", remainingItemCount);
        }
        out.putArray("items");
        return openArray(out);
    }

    /**
     * {@code list} (whose last field is an empty array) encoded, less its closing {@code "]}"}: what comes before
     * the array's first element.
     */
    static byte[] openArray(ObjectNode list) {
        byte[] empty = Json.bytes(list);
        if (!Arrays.equals(empty, empty.length - 3, empty.length, new byte[] {'[', ']', '}'}, 0, 3)) {
            throw new IllegalStateException("unexpected list encoding: " + new String(empty, StandardCharsets.UTF_8));
        }
        return Arrays.copyOf(empty, empty.length - 2);
    }
}
