package io.kube4j.apiserver.registry;

import io.kube4j.store.KeyValue;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One page of a list as stored values: the same page {@link ListPage} holds decoded, for a response written from
 * the stored bytes.
 */
public record StoredListPage(List<Item> items, long revision, String continueToken, long remainingItemCount) {

    /**
     * One object: its stored key-value, where its metadata starts and where its metadata.resourceVersion goes (see
     * {@link StoredJson#slots}; negative: it must be decoded to be served), and the object as served when it was at
     * hand (from the watch cache) or needed (to match a selector, or for a Table), else null. The object may be the
     * watch cache's: read-only.
     */
    public record Item(KeyValue kv, int resourceVersionSlot, int metadataStart, ObjectNode object) {

        public Item(KeyValue kv, int resourceVersionSlot) {
            this(kv, resourceVersionSlot, -1, null);
        }

        static Item of(KeyValue kv, StoredJson.Slots slots, ObjectNode object) {
            return slots == null ? new Item(kv, -1, -1, object)
                    : new Item(kv, slots.resourceVersionSlot(), slots.metadataStart(), object);
        }
    }
}
