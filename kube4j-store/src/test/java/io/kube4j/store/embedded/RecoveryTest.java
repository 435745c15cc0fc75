package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RecoveryTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static EmbeddedStoreOptions snapshotEvery(int n) {
        return EmbeddedStoreOptions.defaults().withSnapshotEveryWrites(n);
    }

    /** The segment holding the writes (the one opened by the last start is empty but for its header). */
    private static Path segmentWithData(Path store) throws Exception {
        try (var files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().startsWith("wal-"))
                    .filter(p -> p.toFile().length() > WriteAheadLog.SEGMENT_MAGIC.length).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void snapshotsCoverOldSegmentsAndRecoveryUsesThem() throws Exception {
        Path path = dir.resolve("s");
        long rev;
        try (EmbeddedStore store = EmbeddedStore.open(path, snapshotEvery(50).withSegmentBytes(4096))) {
            for (int i = 0; i < 300; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
                if (i % 3 == 0) {
                    store.update("/k/" + i, b("again-" + i), 0, 0);
                }
            }
            long lease = store.grantLease(300);
            store.create("/leased", b("x"), lease);
            store.delete("/k/0", 0);
            rev = store.currentRevision();
            await().until(() -> {
                try (var files = Files.list(path)) {
                    return files.anyMatch(p -> p.getFileName().toString().endsWith(".snap"));
                }
            });
        }
        try (var files = Files.list(path)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("wal-")).count())
                    .as("segments covered by a snapshot are deleted").isLessThan(30);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.currentRevision()).isEqualTo(rev);
            assertThat(store.count("/k/")).isEqualTo(299);
            KeyValue k3 = store.get("/k/3").orElseThrow();
            assertThat(k3.valueAsString()).isEqualTo("again-3");
            assertThat(k3.version()).isEqualTo(2);
            assertThat(store.get("/k/0")).isEmpty();
            assertThat(store.get("/leased").orElseThrow().lease()).isNotZero();
            long lease = store.get("/leased").orElseThrow().lease();
            assertThat(store.leaseTimeToLive(lease)).isGreaterThan(200);
            // history before the snapshot is gone after a restart; what the log holds after it replays
            long compacted = store.compactedRevision();
            assertThat(compacted).isGreaterThan(1).isLessThanOrEqualTo(rev);
            RecordingListener tooOld = new RecordingListener();
            store.watch("/", compacted - 1, tooOld);
            await().until(() -> tooOld.error != null);
            assertThat(tooOld.error).isInstanceOf(StoreException.Compacted.class);
            RecordingListener replay = new RecordingListener();
            store.watch("/", compacted + 1, replay);
            store.revokeLease(lease);
            assertThat(store.get("/leased")).isEmpty();
            assertThat(store.create("/next", b("x"), 0).modRevision()).isEqualTo(rev + 2);
            await().until(() -> replay.revisions().contains(rev + 2));
            List<Long> expected = new java.util.ArrayList<>();
            for (long r = compacted + 1; r <= rev + 2; r++) {
                expected.add(r);
            }
            assertThat(replay.revisions()).containsExactlyElementsOf(expected);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/leased")).isEmpty();
            assertThat(store.get("/next")).isPresent();
        }
    }

    @Test
    void tornTailIsDroppedWithoutLosingAcknowledgedWrites() throws Exception {
        Path path = dir.resolve("t");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            for (int i = 0; i < 10; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
            }
        }
        Path seg = segmentWithData(path);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 5); // the last record loses its end, as if the process died mid-write
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.currentRevision()).isEqualTo(10);
            assertThat(store.count("/k/")).isEqualTo(9);
            assertThat(store.get("/k/9")).isEmpty();
            assertThat(store.get("/k/8")).isPresent();
            assertThat(store.create("/k/9", b("retry"), 0).modRevision()).isEqualTo(11);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/k/9").orElseThrow().valueAsString()).isEqualTo("retry");
        }
    }

    @Test
    void checksumMismatchOfTheLastRecordIsATornTail() throws Exception {
        Path path = dir.resolve("c");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            for (int i = 0; i < 5; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
            }
        }
        Path seg = segmentWithData(path);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(f.length() - 2);
            f.write(0x55);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.count("/k/")).isEqualTo(4);
        }
    }

    @Test
    void zerosAfterTheLastRecordAreATornTail() throws Exception {
        Path path = dir.resolve("z");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            for (int i = 0; i < 5; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
            }
        }
        Path seg = segmentWithData(path);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size + 4096); // the file grew but the data never reached the disk
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.count("/k/")).isEqualTo(5);
        }
        assertThat(Files.size(seg)).isEqualTo(size);
    }

    @Test
    void damageFollowedByMoreDataInTheLastSegmentIsCorruption() throws Exception {
        Path path = dir.resolve("l");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            for (int i = 0; i < 5; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
            }
        }
        Path seg = segmentWithData(path);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(WriteAheadLog.SEGMENT_MAGIC.length);
            f.writeInt(-7); // the first record's length is garbage, and records follow it
        }
        assertThatThrownBy(() -> EmbeddedStore.open(path)).isInstanceOfSatisfying(CorruptDataException.class,
                e -> assertThat(e.offset()).isEqualTo(WriteAheadLog.SEGMENT_MAGIC.length));
    }

    @Test
    void corruptionInTheMiddleStopsStartupNamingFileAndOffset() throws Exception {
        Path path = dir.resolve("m");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            for (int i = 0; i < 100; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
            }
        }
        Path seg = segmentWithData(path);
        long middle = Files.size(seg) / 2;
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(middle);
            int old = f.read();
            f.seek(middle);
            f.write(old ^ 0xff);
        }
        assertThatThrownBy(() -> EmbeddedStore.open(path))
                .isInstanceOfSatisfying(CorruptDataException.class, e -> {
                    assertThat(e.file()).isEqualTo(seg);
                    assertThat(e.offset()).isBetween(8L, middle);
                    assertThat(e.getMessage()).contains(seg.toString()).contains("byte offset " + e.offset())
                            .contains("corrupt");
                });
        // the failed start released the directory
        try (DataDirectory dd = DataDirectory.open(path)) {
            assertThat(dd.path()).isEqualTo(path);
        }
    }

    @Test
    void aSegmentKilledBeforeItsHeaderIsReusedSoNoGapFollows() throws Exception {
        Path path = dir.resolve("h");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            store.create("/a", b("1"), 0);
        }
        // A SIGKILL right after a start created its new segment, before the header reached the disk.
        long next;
        try (var files = Files.list(path)) {
            next = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wal-"))
                    .mapToLong(n -> Long.parseUnsignedLong(n.substring(4, 20), 16)).max().orElseThrow() + 1;
        }
        Files.createFile(path.resolve(String.format("wal-%016x.log", next)));
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            store.create("/b", b("2"), 0);
        }
        // The second start and every later one find a contiguous log.
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/a")).map(KeyValue::valueAsString).contains("1");
            assertThat(store.get("/b")).map(KeyValue::valueAsString).contains("2");
        }
    }

    @Test
    void aMissingSegmentIsCorruption() throws Exception {
        Path path = dir.resolve("g");
        try (EmbeddedStore store = EmbeddedStore.open(path, EmbeddedStoreOptions.defaults().withSegmentBytes(2048))) {
            for (int i = 0; i < 100; i++) {
                store.create("/k/" + i, new byte[100], 0);
            }
        }
        List<Path> segs;
        try (var files = Files.list(path)) {
            segs = files.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted().toList();
        }
        assertThat(segs.size()).isGreaterThan(3);
        Files.delete(segs.get(1));
        assertThatThrownBy(() -> EmbeddedStore.open(path)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void readsOfWritesAfterRecoveryStillRefuseCompactedRevisions() {
        Path path = dir.resolve("r");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            store.create("/a", b("1"), 0);
            store.update("/a", b("2"), 0, 0);
            store.update("/a", b("3"), 0, 0);
            store.compact(3);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.compactedRevision()).isEqualTo(3);
            assertThatThrownBy(() -> store.get("/a", 2)).isInstanceOf(StoreException.Compacted.class);
            assertThat(store.get("/a", 3).orElseThrow().valueAsString()).isEqualTo("2");
        }
    }
}
