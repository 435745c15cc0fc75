package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.ListPage;
import io.kube4j.apiserver.registry.StoredListPage;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Function;

/**
 * Writes a list as a meta.k8s.io PartialObjectMetadataList (what client-go's metadata informers list) in pieces, the
 * way {@link ListResponses} writes lists: the list metadata (resourceVersion, continue, remainingItemCount), then each
 * item as its {@link PartialObjectMetadata} - kind and apiVersion included, as upstream's asPartialObjectMetadataList
 * sets them on every item before encoding. From stored values an item's metadata is copied from the stored bytes with
 * its resourceVersion inserted, so a metadata-only list decodes no object at all.
 */
final class PartialObjectMetadataResponses {

    private static final byte[] CLOSE_TWO = {'}', '}'};

    private PartialObjectMetadataResponses() {
    }

    /**
     * A list of stored values; {@code decode} gives the object of an item whose metadata cannot be copied from its
     * bytes. Those are converted before the response starts, so a bad stored object is answered with a Status.
     */
    static void writeStored(ResponseSink sink, String apiVersion, StoredListPage page,
                            Function<StoredListPage.Item, ObjectNode> decode) {
        List<StoredListPage.Item> items = page.items();
        byte[][] encoded = new byte[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            StoredListPage.Item item = items.get(i);
            if (item.resourceVersionSlot() < 0 || item.metadataStart() < 0) {
                encoded[i] = Json.bytes(PartialObjectMetadata.of(decode.apply(item), apiVersion));
            }
        }
        byte[] itemHead = PartialObjectMetadata.head(apiVersion);
        ListResponses.write(sink, head(apiVersion, page.revision(), page.continueToken(), page.remainingItemCount()),
                items.size(), (body, i) -> {
                    if (encoded[i] != null) {
                        body.write(encoded[i]);
                        return;
                    }
                    StoredListPage.Item item = items.get(i);
                    byte[] value = item.kv().value();
                    int slot = item.resourceVersionSlot();
                    body.write(itemHead);
                    body.write(value, item.metadataStart(), slot - item.metadataStart());
                    ListResponses.writeResourceVersion(body, item);
                    // the metadata, the PartialObjectMetadata
                    body.write(CLOSE_TWO);
                });
    }

    /** A list of decoded objects, each converted as it is written. */
    static void writeDecoded(ResponseSink sink, String apiVersion, ListPage page) {
        List<ObjectNode> items = page.items();
        ListResponses.write(sink, head(apiVersion, page.revision(), page.continueToken(), page.remainingItemCount()),
                items.size(), (body, i) -> body.write(Json.bytes(PartialObjectMetadata.of(items.get(i), apiVersion))));
    }

    private static byte[] head(String apiVersion, long revision, String continueToken, long remaining) {
        return ListResponses.head(PartialObjectMetadata.KIND + "List", apiVersion, revision, continueToken, remaining);
    }
}
