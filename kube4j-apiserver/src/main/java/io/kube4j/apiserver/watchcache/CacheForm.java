package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * How a watch cache reads the stored values it keeps: into the object clients see, into the attributes lists and
 * watches select by, and into the bytes a watch line carries. The cache keeps only stored bytes and attributes; a
 * tree is decoded when a caller asks for one.
 */
public interface CacheForm {

    /** {@code value} as the object clients see, with metadata.resourceVersion {@code revision}: a new tree. */
    ObjectNode decode(byte[] value, long revision);

    /** What {@code served} (as {@link #decode} gave it) is selected by. */
    Selectable attributes(ObjectNode served);

    /**
     * The JSON clients get for {@code value} with metadata.resourceVersion {@code revision}: the encoded decoded
     * object, unless a form can produce the same bytes without decoding.
     */
    default byte[] servedBytes(byte[] value, long revision, Selectable attributes) {
        return Json.bytes(decode(value, revision));
    }

    /** A form of {@code decoder} whose attributes are an object's namespace, name and labels (no field labels). */
    static CacheForm decoding(BiFunction<byte[], Long, ObjectNode> decoder) {
        return new CacheForm() {
            @Override
            public ObjectNode decode(byte[] value, long revision) {
                return decoder.apply(value, revision);
            }

            @Override
            public Selectable attributes(ObjectNode served) {
                return metadataAttributes(served, null, null, null);
            }
        };
    }

    /** {@code served}'s namespace, name, labels and apiVersion, with field values read by {@code fieldSource}. */
    static Selectable metadataAttributes(ObjectNode served, Object fieldSource, String[] fieldNames,
                                         String[] fieldValues) {
        String namespace = Json.text(served, "metadata", "namespace");
        String apiVersion = Json.text(served, "apiVersion");
        Map<String, String> labels = Json.stringMap(Json.obj(served, "metadata", "labels"));
        // an immutable copy holds its entries in one array, where a LinkedHashMap holds a node per label
        return new Selectable(namespace == null || namespace.isEmpty() ? null : namespace,
                Json.text(served, "metadata", "name"), labels.isEmpty() ? Map.of() : Map.copyOf(labels),
                apiVersion == null ? null : apiVersion.intern(), fieldSource, fieldNames, fieldValues);
    }
}
