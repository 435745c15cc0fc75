package io.kube4j.apiserver.watchcache;

import java.util.Map;

/**
 * What a list or watch selects a cached object by, read from it once when it is written so that selecting never
 * decodes it again (upstream's cacher keeps an object's labels and selectable fields with it the same way): its
 * namespace (null when cluster-scoped), name, labels, apiVersion, and the values of the field selector labels that
 * {@code fieldSource} (the strategy that read them) supports, {@code ""} for an unset one.
 * {@code fieldNames} is shared by every object read by the same source.
 */
public record Selectable(String namespace, String name, Map<String, String> labels, String apiVersion,
                         Object fieldSource, String[] fieldNames, String[] fieldValues) {

    /**
     * The value of field selector label {@code field} as read by {@code source}, or null when it was not read at
     * write time (another strategy, or a label it does not support): the caller then reads the object itself.
     */
    public String field(String field, Object source) {
        if (source != fieldSource || fieldNames == null) {
            return null;
        }
        for (int i = 0; i < fieldNames.length; i++) {
            if (fieldNames[i].equals(field)) {
                return fieldValues[i];
            }
        }
        return null;
    }
}
