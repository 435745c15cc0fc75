package io.kube4j.apiserver.crd.celrules;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compiled rules by schema, so a CRD version's rules compile once: the CRD's validation compiles them, and the
 * strategy of each served version (rebuilt whenever the CRD controller reconciles) finds them here. Keyed by the
 * schema's content; the least recently used schemas go first once there are more than {@link #CAPACITY}.
 */
public final class RuleCache {

    static final int CAPACITY = 256;

    private static final Map<JsonNode, Optional<SchemaRules>> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JsonNode, Optional<SchemaRules>> eldest) {
            return size() > CAPACITY;
        }
    };

    private RuleCache() {
    }

    /** The compiled rules of a version's openAPIV3Schema, or null if it has none. */
    public static SchemaRules forSchema(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return null;
        }
        synchronized (CACHE) {
            Optional<SchemaRules> cached = CACHE.get(schema);
            if (cached != null) {
                return cached.orElse(null);
            }
        }
        // compiled outside the lock: a second thread may compile the same schema, which is harmless
        JsonNode copy = schema.deepCopy();
        SchemaRules rules = SchemaRules.compile(copy);
        synchronized (CACHE) {
            CACHE.put(copy, Optional.ofNullable(rules));
        }
        return rules;
    }
}
