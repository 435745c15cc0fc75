package io.kube4j.store.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The log's framing: each record is {@code int length, int crc32c(payload), payload}; the payload is a type
 * byte and the record's fields (strings as UTF-8 with an int length).
 */
final class RecordCodec {
    static final int HEADER_BYTES = 8;
    /** Anything longer is not a record but garbage (a value is at most a few MB in Kubernetes). */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte LEASE_GRANT = 3;
    private static final byte LEASE_REVOKE = 4;
    private static final byte COMPACT = 5;

    private RecordCodec() {
    }

    /** An upper bound of the framed size, to size the buffer before {@link #encode}. */
    static int maxFramedSize(WalRecord record) {
        int payload;
        if (record instanceof WalRecord.Put p) {
            payload = 1 + 8 + 8 + 4 + p.key().length() * 3 + 4 + p.value().length;
        } else if (record instanceof WalRecord.Delete d) {
            payload = 1 + 8 + 4 + d.key().length() * 3;
        } else if (record instanceof WalRecord.LeaseGrant) {
            payload = 1 + 16;
        } else if (record instanceof WalRecord.LeaseRevoke r) {
            payload = 1 + 8 + 8 + 4;
            for (String k : r.keys()) {
                payload += 4 + k.length() * 3;
            }
        } else if (record instanceof WalRecord.Compact) {
            payload = 1 + 8;
        } else {
            throw new IllegalArgumentException("not a log record: " + record);
        }
        return HEADER_BYTES + payload;
    }

    /** Writes the framed record at the buffer's position, which must have room for {@link #maxFramedSize}. */
    static void encode(WalRecord record, ByteBuffer out, CRC32C crc) {
        int start = out.position();
        out.position(start + HEADER_BYTES);
        if (record instanceof WalRecord.Put p) {
            out.put(PUT).putLong(p.revision()).putLong(p.lease());
            putString(out, p.key());
            out.putInt(p.value().length).put(p.value());
        } else if (record instanceof WalRecord.Delete d) {
            out.put(DELETE).putLong(d.revision());
            putString(out, d.key());
        } else if (record instanceof WalRecord.LeaseGrant g) {
            out.put(LEASE_GRANT).putLong(g.id()).putLong(g.ttlSeconds());
        } else if (record instanceof WalRecord.LeaseRevoke r) {
            out.put(LEASE_REVOKE).putLong(r.revision()).putLong(r.id()).putInt(r.keys().size());
            for (String k : r.keys()) {
                putString(out, k);
            }
        } else if (record instanceof WalRecord.Compact c) {
            out.put(COMPACT).putLong(c.revision());
        } else {
            throw new IllegalArgumentException("not a log record: " + record);
        }
        int end = out.position();
        int length = end - start - HEADER_BYTES;
        ByteBuffer payload = out.duplicate();
        payload.position(start + HEADER_BYTES).limit(end);
        crc.reset();
        crc.update(payload);
        out.putInt(start, length);
        out.putInt(start + 4, (int) crc.getValue());
    }

    static int checksum(ByteBuffer payload, CRC32C crc) {
        crc.reset();
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    /** Decodes a payload whose checksum was verified; throws IllegalArgumentException if it makes no sense. */
    static WalRecord decode(ByteBuffer payload) {
        try {
            byte type = payload.get();
            WalRecord record = switch (type) {
                case PUT -> {
                    long revision = payload.getLong();
                    long lease = payload.getLong();
                    String key = getString(payload);
                    byte[] value = new byte[checkedLength(payload)];
                    payload.get(value);
                    yield new WalRecord.Put(revision, key, value, lease);
                }
                case DELETE -> new WalRecord.Delete(payload.getLong(), getString(payload));
                case LEASE_GRANT -> new WalRecord.LeaseGrant(payload.getLong(), payload.getLong());
                case LEASE_REVOKE -> {
                    long revision = payload.getLong();
                    long id = payload.getLong();
                    int n = checkedLength(payload);
                    List<String> keys = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        keys.add(getString(payload));
                    }
                    yield new WalRecord.LeaseRevoke(revision, id, keys);
                }
                case COMPACT -> new WalRecord.Compact(payload.getLong());
                default -> throw new IllegalArgumentException("unknown record type " + type);
            };
            if (payload.hasRemaining()) {
                throw new IllegalArgumentException(payload.remaining() + " unexpected bytes after the record");
            }
            return record;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("record ends early");
        }
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        int n = checkedLength(in);
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static int checkedLength(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("bad length " + n);
        }
        return n;
    }
}
