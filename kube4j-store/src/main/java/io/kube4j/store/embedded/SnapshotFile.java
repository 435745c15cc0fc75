package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A snapshot: the state at {@code revision} (every live key's newest version, the compacted revision, the
 * leases) and the first log segment written after it. Written to a temp file, fsynced and renamed, so a
 * snapshot file is either whole or absent; a trailing CRC32C guards against later damage.
 */
final class SnapshotFile {
    private static final byte[] MAGIC = "K4JSNAP1".getBytes(StandardCharsets.US_ASCII);

    record LeaseEntry(long id, long ttlSeconds) {
    }

    record Contents(long revision, long compactedRevision, long firstSegment, List<LeaseEntry> leases,
                    List<KeyValue> keys) {
    }

    private SnapshotFile() {
    }

    /** Writes and publishes the snapshot; returns its size in bytes. */
    static long write(DataDirectory dir, long revision, long compactedRevision, long firstSegment,
                      List<LeaseEntry> leases, Iterable<KeyValue> keys) throws IOException {
        Path target = dir.snapshot(revision);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            CRC32C crc = new CRC32C();
            OutputStream raw = Channels.newOutputStream(ch);
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeLong(revision);
            out.writeLong(compactedRevision);
            out.writeLong(firstSegment);
            out.writeInt(leases.size());
            for (LeaseEntry l : leases) {
                out.writeLong(l.id());
                out.writeLong(l.ttlSeconds());
            }
            for (KeyValue kv : keys) {
                out.writeByte(1);
                byte[] key = kv.key().getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeLong(kv.createRevision());
                out.writeLong(kv.modRevision());
                out.writeLong(kv.version());
                out.writeLong(kv.lease());
                out.writeInt(kv.value().length);
                out.write(kv.value());
            }
            out.writeByte(0);
            out.flush();
            int sum = (int) crc.getValue();
            new DataOutputStream(raw).writeInt(sum);
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        dir.fsyncDirectory();
        return Files.size(target);
    }

    static Contents read(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptDataException(file, 0, "not a kube4j snapshot (bad header)");
            }
            long revision = in.readLong();
            long compacted = in.readLong();
            long firstSegment = in.readLong();
            int leaseCount = in.readInt();
            List<LeaseEntry> leases = new ArrayList<>();
            for (int i = 0; i < leaseCount; i++) {
                leases.add(new LeaseEntry(in.readLong(), in.readLong()));
            }
            List<KeyValue> keys = new ArrayList<>();
            while (in.readByte() == 1) {
                String key = new String(in.readNBytes(checkedLength(in, file)), StandardCharsets.UTF_8);
                long create = in.readLong();
                long mod = in.readLong();
                long version = in.readLong();
                long lease = in.readLong();
                byte[] value = in.readNBytes(checkedLength(in, file));
                keys.add(new KeyValue(key, value, create, mod, version, lease));
            }
            int expected = (int) crc.getValue();
            int stored = new DataInputStream(raw).readInt();
            if (stored != expected) {
                throw new CorruptDataException(file, Files.size(file) - 4, "snapshot checksum mismatch");
            }
            return new Contents(revision, compacted, firstSegment, leases, keys);
        } catch (EOFException e) {
            throw new CorruptDataException(file, Files.size(file), "snapshot ends early");
        }
    }

    private static int checkedLength(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > RecordCodec.MAX_PAYLOAD_BYTES) {
            throw new CorruptDataException(file, -1, "impossible length " + n + " in snapshot");
        }
        return n;
    }
}
