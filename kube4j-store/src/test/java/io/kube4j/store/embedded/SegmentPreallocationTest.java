package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The log writes into preallocated segments, and every way a store can stop leaves a log recovery reads whole. */
class SegmentPreallocationTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> segments(Path store) throws Exception {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().matches("wal-[0-9a-f]{16}\\.log")).sorted().toList();
        }
    }

    private static Path newest(Path store) throws Exception {
        List<Path> s = segments(store);
        return s.get(s.size() - 1);
    }

    @Test
    void writesGoIntoPreallocatedSpaceAndACleanStopCutsItOff() throws Exception {
        Path path = tmp.resolve("s");
        long used;
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            for (int i = 0; i < 20; i++) {
                store.create("/k/" + i, b("value-" + i), 0);
            }
            Path seg = newest(path);
            assertThat(Files.size(seg)).as("the segment is preallocated, not grown by the writes")
                    .isEqualTo(WriteAheadLog.FIRST_PREALLOCATION_BYTES);
            used = Files.size(seg);
        }
        Path seg = newest(path);
        assertThat(Files.size(seg)).as("cut to its records at close").isGreaterThan(WriteAheadLog.SEGMENT_MAGIC.length)
                .isLessThan(used);
        assertThat(path.resolve("spare-segment.tmp")).as("no spare left behind").doesNotExist();
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.count("/k/")).isEqualTo(20);
            assertThat(store.currentRevision()).isEqualTo(21);
        }
    }

    @Test
    void aStoreStoppedWithoutClosingRecoversFromItsPreallocatedSegments() throws Exception {
        // The image a SIGKILL leaves: the files as they are while the store runs, preallocated tails and spare
        // included, copied aside while it still holds them open.
        Path live = tmp.resolve("live");
        Path image = tmp.resolve("image");
        Files.createDirectories(image);
        try (EmbeddedStore store = EmbeddedStore.open(live, EmbeddedStoreOptions.defaults().withSegmentBytes(8192))) {
            for (int i = 0; i < 200; i++) {
                store.create("/k/" + i, b("value-" + i + "-".repeat(100)), 0);
            }
            store.update("/k/7", b("again"), 0, 0);
            assertThat(segments(live)).as("rolled several times").hasSizeGreaterThan(3);
            assertThat(Files.size(newest(live))).as("the newest segment has a zero tail").isEqualTo(8192);
            try (Stream<Path> files = Files.list(live)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (!p.getFileName().toString().equals(DataDirectory.LOCK)) {
                        Files.copy(p, image.resolve(p.getFileName()));
                    }
                }
            }
        }
        for (Path p : segments(image).subList(0, segments(image).size() - 1)) {
            assertThat(Files.size(p)).as("%s was cut to its records before the next segment began", p)
                    .isLessThanOrEqualTo(8192);
        }
        try (EmbeddedStore store = EmbeddedStore.open(image)) {
            assertThat(store.currentRevision()).isEqualTo(202);
            assertThat(store.count("/k/")).isEqualTo(200);
            assertThat(store.get("/k/7").map(KeyValue::valueAsString)).contains("again");
            assertThat(store.create("/after", b("x"), 0).modRevision()).isEqualTo(203);
        }
        assertThat(image.resolve("spare-segment.tmp")).as("a spare a crash left is cleared away").doesNotExist();
        try (EmbeddedStore store = EmbeddedStore.open(image)) {
            assertThat(store.get("/after")).isPresent();
            assertThat(store.currentRevision()).isEqualTo(203);
        }
    }

    @Test
    void aRecordBiggerThanASegmentStillFits() throws Exception {
        Path path = tmp.resolve("big");
        byte[] big = new byte[20_000];
        big[19_999] = 7;
        try (EmbeddedStore store = EmbeddedStore.open(path, EmbeddedStoreOptions.defaults().withSegmentBytes(4096))) {
            store.create("/small", b("1"), 0);
            store.create("/big", big, 0);
            store.create("/after", b("2"), 0);
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/big").orElseThrow().value()).isEqualTo(big);
            assertThat(store.get("/after")).isPresent();
        }
    }

    @Test
    void withoutPreallocationSegmentsGrowByAppending() throws Exception {
        Path path = tmp.resolve("append");
        try (EmbeddedStore store = EmbeddedStore.open(path,
                EmbeddedStoreOptions.defaults().withPreallocatedSegments(false))) {
            long before = Files.size(newest(path));
            store.create("/a", b("1"), 0);
            assertThat(before).isEqualTo(WriteAheadLog.SEGMENT_MAGIC.length);
            assertThat(Files.size(newest(path))).isGreaterThan(before).isLessThan(1024);
            assertThat(path.resolve("spare-segment.tmp")).doesNotExist();
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/a")).isPresent();
        }
    }
}
