package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.Arrays;

/**
 * An object's meta.k8s.io PartialObjectMetadata: its kind and apiVersion replaced by {@code PartialObjectMetadata} in
 * the version asked for (v1 or v1beta1), its whole metadata kept and everything else left out - upstream's
 * meta.AsPartialObjectMetadata, what client-go's metadata client and informers (the garbage collector, the namespace
 * controller) read, and what a Table row carries by default.
 */
final class PartialObjectMetadata {

    static final String KIND = "PartialObjectMetadata";

    private PartialObjectMetadata() {
    }

    /** {@code obj} as a PartialObjectMetadata of {@code apiVersion} (a copy: {@code obj} may be the cache's). */
    static ObjectNode of(ObjectNode obj, String apiVersion) {
        ObjectNode partial = Json.object();
        partial.put("kind", KIND);
        partial.put("apiVersion", apiVersion);
        // Go's ObjectMeta is a struct: never omitted, {} when the object had none
        partial.set("metadata", obj.path("metadata").isObject() ? obj.path("metadata").deepCopy() : Json.object());
        return partial;
    }

    /**
     * What comes before the metadata object in {@link #of}'s encoding ({@code {"kind":"PartialObjectMetadata",
     * "apiVersion":"meta.k8s.io/v1","metadata":}}), so that a stored object's metadata can be copied in after it: the
     * encoding of one with empty metadata, less its closing {@code {}}}.
     */
    static byte[] head(String apiVersion) {
        byte[] empty = Json.bytes(of(Json.object(), apiVersion));
        return Arrays.copyOf(empty, empty.length - 3);
    }
}
