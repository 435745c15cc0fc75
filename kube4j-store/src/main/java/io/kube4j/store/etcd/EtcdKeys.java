package io.kube4j.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.kube4j.store.KeyValue;
import io.kube4j.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Converts between the SPI's string keys and etcd's byte keys (UTF-8, ordered byte by byte as etcd does). */
final class EtcdKeys {
    /** etcd reads a range end of a single zero byte as "every key from the start key on". */
    static final ByteSequence ALL_KEYS_END = ByteSequence.from(new byte[] {0});

    private EtcdKeys() {
    }

    static ByteSequence key(String key) {
        if (key == null || key.isEmpty()) {
            throw new StoreException.InvalidRequest("a key must not be empty");
        }
        return bytes(key);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The first key of a prefix range; an empty prefix starts at the smallest key etcd accepts. */
    static ByteSequence rangeStart(String prefix) {
        return prefix == null || prefix.isEmpty() ? ALL_KEYS_END : bytes(prefix);
    }

    /** The smallest key greater than every key starting with {@code prefix}. */
    static ByteSequence rangeEnd(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return ALL_KEYS_END;
        }
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteSequence.from(Arrays.copyOf(end, i + 1));
            }
        }
        return ALL_KEYS_END;
    }

    /** Where a page starts: {@code fromKey} when it lies inside the prefix range, else the prefix itself. */
    static ByteSequence pageStart(String prefix, String fromKey) {
        ByteSequence start = rangeStart(prefix);
        if (fromKey == null || fromKey.isEmpty()) {
            return start;
        }
        ByteSequence from = bytes(fromKey);
        return compare(from.getBytes(), start.getBytes()) > 0 ? from : start;
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    /** A deleted key as a watch event carries it: no value, mod-revision = the delete's revision. */
    static KeyValue toDeletedKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), null,
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), kv.getLease());
    }
}
