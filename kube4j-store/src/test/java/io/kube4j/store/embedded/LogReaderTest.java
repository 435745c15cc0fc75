package io.kube4j.store.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader on segments as a preallocating log leaves them: records, then zeros to the preallocated size. Segments
 * are built byte by byte here, so each case is exactly the image a crash (or damage) would leave.
 */
class LogReaderTest {
    private static final int MAGIC = WriteAheadLog.SEGMENT_MAGIC.length;

    @TempDir
    Path tmp;
    private DataDirectory dir;
    private final List<WalRecord> replayed = new ArrayList<>();

    @BeforeEach
    void open() {
        dir = DataDirectory.open(tmp.resolve("store"));
    }

    @AfterEach
    void close() {
        dir.close();
    }

    private static WalRecord.Put put(long revision) {
        return new WalRecord.Put(revision, "/k/" + revision, ("value-" + revision).getBytes(StandardCharsets.UTF_8), 0);
    }

    private static byte[] framed(WalRecord r) {
        ByteBuffer buf = ByteBuffer.allocate(RecordCodec.maxFramedSize(r));
        RecordCodec.encode(r, buf, new CRC32C());
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    /** A segment file: the header, then each part as given. */
    private Path segment(long seq, byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WriteAheadLog.SEGMENT_MAGIC);
        for (byte[] p : parts) {
            out.write(p);
        }
        Path file = dir.segment(seq);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static byte[] records(long from, long to) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long r = from; r <= to; r++) {
            out.write(framed(put(r)));
        }
        return out.toByteArray();
    }

    private static byte[] zeros(int n) {
        return new byte[n];
    }

    private void replay(long... seqs) throws Exception {
        List<Long> list = new ArrayList<>();
        for (long s : seqs) {
            list.add(s);
        }
        LogReader.replay(dir, list, replayed::add);
    }

    private List<Long> revisions() {
        return replayed.stream().map(WalRecord::revision).toList();
    }

    @Test
    void theZeroTailOfTheNewestSegmentIsTheEndOfTheLogAndIsCutOff() throws Exception {
        byte[] recs = records(2, 6);
        Path file = segment(1, recs, zeros(64 * 1024));

        replay(1);

        assertThat(revisions()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(Files.size(file)).as("cut to its records").isEqualTo(MAGIC + recs.length);
    }

    @Test
    void aPreallocatedSegmentWithNoRecordsYetIsEmpty() throws Exception {
        Path file = segment(1, zeros(4096));

        replay(1);

        assertThat(replayed).isEmpty();
        assertThat(Files.size(file)).isEqualTo(MAGIC);
    }

    @Test
    void aZeroTailShorterThanARecordHeaderIsStillTheEnd() throws Exception {
        byte[] recs = records(2, 3);
        Path file = segment(1, recs, zeros(RecordCodec.HEADER_BYTES - 3));

        replay(1);

        assertThat(revisions()).containsExactly(2L, 3L);
        assertThat(Files.size(file)).isEqualTo(MAGIC + recs.length);
    }

    @Test
    void aRecordTornInsidePreallocatedSpaceIsDropped() throws Exception {
        byte[] recs = records(2, 4);
        byte[] last = framed(put(5));
        // the header and half the payload reached the disk; the rest of the record is still the preallocated zeros
        byte[] torn = java.util.Arrays.copyOf(last, RecordCodec.HEADER_BYTES + (last.length - RecordCodec.HEADER_BYTES) / 2);
        Path file = segment(1, recs, torn, zeros(last.length - torn.length + 8192));

        replay(1);

        assertThat(revisions()).containsExactly(2L, 3L, 4L);
        assertThat(Files.size(file)).isEqualTo(MAGIC + recs.length);
    }

    @Test
    void aRecordAfterZerosIsCorruption() throws Exception {
        byte[] recs = records(2, 4);
        Path file = segment(1, recs, zeros(100), records(5, 5), zeros(4096));

        assertThatThrownBy(() -> replay(1)).isInstanceOfSatisfying(CorruptDataException.class, e -> {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.offset()).isEqualTo(MAGIC + recs.length);
        });
        assertThat(revisions()).containsExactly(2L, 3L, 4L);
        assertThat(Files.size(file)).as("a damaged log is left as it is").isEqualTo(MAGIC + recs.length + 100
                + framed(put(5)).length + 4096);
    }

    @Test
    void aSingleStrayByteInTheZeroTailIsCorruption() throws Exception {
        byte[] tail = zeros(4096);
        tail[3000] = 1;
        Path file = segment(1, records(2, 3), tail);

        assertThatThrownBy(() -> replay(1)).isInstanceOfSatisfying(CorruptDataException.class,
                e -> assertThat(e.file()).isEqualTo(file));
    }

    @Test
    void aZeroTailInASegmentThatIsNotTheNewestIsCorruption() throws Exception {
        // the log cuts a segment to its records before it starts the next one: zeros there stand where records were
        byte[] recs = records(2, 3);
        Path first = segment(1, recs, zeros(1024));
        segment(2, records(4, 5));

        assertThatThrownBy(() -> replay(1, 2)).isInstanceOfSatisfying(CorruptDataException.class, e -> {
            assertThat(e.file()).isEqualTo(first);
            assertThat(e.offset()).isEqualTo(MAGIC + recs.length);
            assertThat(e.getMessage()).contains("zeros");
        });
    }

    @Test
    void segmentsCutToTheirRecordsReplayInOrderAndOnlyTheNewestKeepsATail() throws Exception {
        segment(1, records(2, 3));
        segment(2, records(4, 6));
        Path newest = segment(3, records(7, 7), zeros(2048));

        replay(1, 2, 3);

        assertThat(revisions()).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(Files.size(newest)).isEqualTo(MAGIC + framed(put(7)).length);
    }
}
