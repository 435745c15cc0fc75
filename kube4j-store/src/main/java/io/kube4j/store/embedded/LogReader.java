package io.kube4j.store.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Replays log segments in order. The newest segment was preallocated: where its records give way to zeros up to
 * the end of the file, the log ends, and that tail is cut off (the next start writes a new segment, and only the
 * newest may have such a tail). A record that is incomplete or fails its checksum at the very end of the last
 * segment (nothing but zeros after it) was being written when the process died, so it was never acknowledged: it
 * is cut off with a warning. The same damage anywhere else, zeros with data after them, or a zero tail in an older
 * segment (cut to its records before the log moved on) mean acknowledged data is damaged: replay stops with
 * {@link CorruptDataException} naming the file and offset.
 */
final class LogReader {
    private static final Logger log = LoggerFactory.getLogger(LogReader.class);

    /** Applies one replayed record; throws IllegalArgumentException if it does not fit the state so far. */
    interface Sink {
        void apply(WalRecord record);
    }

    private LogReader() {
    }

    static void replay(DataDirectory dir, List<Long> segmentSeqs, Sink sink) throws IOException {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < segmentSeqs.size(); i++) {
            boolean last = i == segmentSeqs.size() - 1;
            replaySegment(dir.segment(segmentSeqs.get(i)), last, sink, crc);
        }
    }

    private static void replaySegment(Path file, boolean last, Sink sink, CRC32C crc) throws IOException {
        byte[] data = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(data);
        int magicLength = WriteAheadLog.SEGMENT_MAGIC.length;
        if (data.length < magicLength
                || !Arrays.equals(data, 0, magicLength, WriteAheadLog.SEGMENT_MAGIC, 0, magicLength)) {
            if (last && allZero(data, 0)) {
                // created but its header never reached the disk: nothing in it was acknowledged
                log.warn("log segment {} has no header ({} bytes); it was being created when the store stopped,"
                        + " deleting it", file, data.length);
                Files.delete(file);
                return;
            }
            throw new CorruptDataException(file, 0, "not a kube4j log segment (bad header)");
        }
        int pos = magicLength;
        while (pos < data.length) {
            if (zeroTailAt(data, buf, pos)) {
                if (!last) {
                    throw new CorruptDataException(file, pos, "zeros where records should continue (only the newest"
                            + " segment may end in preallocated space)");
                }
                log.debug("log ends at byte offset {} of {}; cutting its unused preallocated space ({} bytes)", pos,
                        file, data.length - pos);
                truncate(file, pos);
                return;
            }
            String damage;
            boolean reachesEnd; // nothing (or nothing but zeros) follows the damaged record
            if (data.length - pos < RecordCodec.HEADER_BYTES) {
                damage = "record header cut short";
                reachesEnd = true;
            } else {
                int length = buf.getInt(pos);
                int checksum = buf.getInt(pos + 4);
                if (length <= 0 || length > RecordCodec.MAX_PAYLOAD_BYTES) {
                    damage = "impossible record length " + length;
                    reachesEnd = allZero(data, pos + RecordCodec.HEADER_BYTES) || allZero(data, pos);
                } else if ((long) pos + RecordCodec.HEADER_BYTES + length > data.length) {
                    damage = "record payload cut short (" + length + " bytes announced, "
                            + (data.length - pos - RecordCodec.HEADER_BYTES) + " present)";
                    reachesEnd = true;
                } else {
                    int end = pos + RecordCodec.HEADER_BYTES + length;
                    ByteBuffer payload = ByteBuffer.wrap(data, pos + RecordCodec.HEADER_BYTES, length).slice();
                    if (RecordCodec.checksum(payload, crc) != checksum) {
                        damage = "checksum mismatch";
                        reachesEnd = allZero(data, end);
                    } else {
                        WalRecord record;
                        try {
                            record = RecordCodec.decode(payload);
                        } catch (IllegalArgumentException e) {
                            throw new CorruptDataException(file, pos, "undecodable record: " + e.getMessage());
                        }
                        try {
                            sink.apply(record);
                        } catch (IllegalArgumentException e) {
                            throw new CorruptDataException(file, pos, "record does not follow the ones before: "
                                    + e.getMessage());
                        }
                        pos = end;
                        continue;
                    }
                }
            }
            // damaged: only a torn tail (nothing but zeros, or nothing at all, after the record) is survivable
            if (!last || !reachesEnd) {
                throw new CorruptDataException(file, pos, damage);
            }
            log.warn("dropping a torn record at the tail of {} (byte offset {}, {} bytes: {}); it was being written"
                    + " when the store stopped and was never acknowledged", file, pos, data.length - pos, damage);
            truncate(file, pos);
            return;
        }
    }

    /**
     * Nothing but zeros from {@code pos} on: preallocated space never written. A record never starts with a zero
     * length (its payload holds at least its type), so only a zero length needs the scan.
     */
    private static boolean zeroTailAt(byte[] data, ByteBuffer buf, int pos) {
        if (data.length - pos >= RecordCodec.HEADER_BYTES && buf.getInt(pos) != 0) {
            return false;
        }
        return allZero(data, pos);
    }

    /** Durably, so a segment started after this one never follows one with a tail of zeros. */
    private static void truncate(Path file, int pos) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(pos);
            ch.force(true);
        }
    }

    private static boolean allZero(byte[] data, int from) {
        for (int i = Math.max(from, 0); i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
