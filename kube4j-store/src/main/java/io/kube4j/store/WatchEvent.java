package io.kube4j.store;

/**
 * One change seen by a watch. {@code kv} is the key after the change (for DELETE: value null, modRevision =
 * the delete's revision); {@code prev} is the key before it (null for a PUT that created the key).
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prev) {
    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
