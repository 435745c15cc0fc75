package io.kube4j.apiserver.registry;

import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;

import java.nio.charset.StandardCharsets;

/**
 * Test data that validation now refuses but a store may still hold (written before the rule, as upstream keeps such
 * data and lets updates that leave it alone through): an object created valid through the API, then changed in the
 * store underneath. Used for Endpoints and EndpointSlices that point at a loopback backend.
 */
public final class StoredBeforeValidation {

    private StoredBeforeValidation() {
    }

    /**
     * Replaces {@code from} by {@code to} in the stored text of the one object whose key ends with {@code keySuffix}
     * ({@code endpoints/default/web}); watchers and caches see it as an ordinary update.
     */
    public static void replace(Store store, String keySuffix, String from, String to) {
        KeyValue stored = store.list("/registry/").items().stream().filter(kv -> kv.key().endsWith(keySuffix))
                .findFirst().orElseThrow(() -> new AssertionError("nothing stored under *" + keySuffix));
        String text = new String(stored.value(), StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new AssertionError(stored.key() + " holds no " + from + ": " + text);
        }
        store.update(stored.key(), text.replace(from, to).getBytes(StandardCharsets.UTF_8), stored.modRevision(),
                Store.NO_LEASE);
    }
}
