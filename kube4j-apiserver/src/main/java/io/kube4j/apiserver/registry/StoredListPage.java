package io.kube4j.apiserver.registry;

import io.kube4j.store.KeyValue;

import java.util.List;

/**
 * One page of a list as stored values: the same page {@link ListPage} holds decoded, for a response written from
 * the stored bytes.
 */
public record StoredListPage(List<Item> items, long revision, String continueToken, long remainingItemCount) {

    /**
     * One object: its stored key-value and where its metadata.resourceVersion goes (see
     * {@link StoredJson#resourceVersionSlot}); a negative slot means it must be decoded to be served.
     */
    public record Item(KeyValue kv, int resourceVersionSlot) {
    }
}
