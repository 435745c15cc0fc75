package io.kube4j.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One version of one key, as etcd's mvccpb.KeyValue: the value plus the revisions that say when the key
 * was created and last modified. {@code version} counts modifications since creation (1 after create).
 * A deleted key in a watch event has a null value and {@code modRevision} = the delete's revision.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value)
                && createRevision == kv.createRevision && modRevision == kv.modRevision
                && version == kv.version && lease == kv.lease;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue{" + key + " create=" + createRevision + " mod=" + modRevision + " version=" + version
                + (lease != 0 ? " lease=" + lease : "") + " value=" + (value == null ? "null" : value.length + "B") + "}";
    }
}
