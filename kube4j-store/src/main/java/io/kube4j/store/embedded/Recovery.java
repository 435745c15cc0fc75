package io.kube4j.store.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Start-up: load the newest snapshot, clear away what an interrupted snapshot left behind, and replay the log
 * segments written after the snapshot, which must all be there.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /** Where the log continues, and the size of the snapshot recovered from (0 if none). */
    record Result(long nextSegment, long snapshotBytes) {
    }

    private Recovery() {
    }

    static Result recover(DataDirectory dir, StoreState state) throws IOException {
        long firstSegment = 0;
        long snapshotBytes = 0;
        List<Long> snapshots = dir.snapshots();
        if (!snapshots.isEmpty()) {
            long latest = snapshots.get(snapshots.size() - 1);
            SnapshotFile.Contents c = SnapshotFile.read(dir.snapshot(latest));
            state.load(c);
            firstSegment = c.firstSegment();
            snapshotBytes = Files.size(dir.snapshot(latest));
            for (long older : snapshots.subList(0, snapshots.size() - 1)) {
                Files.deleteIfExists(dir.snapshot(older));
            }
            log.info("loaded snapshot of {} keys at revision {} from {}", c.keys().size(), c.revision(), dir.path());
        }
        try (Stream<Path> files = Files.list(dir.path())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(p); // an unfinished snapshot or marker
                }
            }
        }
        List<Long> replay = new ArrayList<>();
        for (long seq : dir.segments()) {
            if (seq < firstSegment) {
                Files.deleteIfExists(dir.segment(seq)); // covered by the snapshot; its deletion was interrupted
                continue;
            }
            long expected = replay.isEmpty() ? firstSegment : replay.get(replay.size() - 1) + 1;
            if (expected > 0 && seq != expected) {
                throw new CorruptDataException(dir.segment(expected), 0, "log segment is missing");
            }
            replay.add(seq);
        }
        LogReader.replay(dir, replay, state::replay);
        // From the files left after replay, not from the replay list: replay deletes a last segment whose header
        // never reached the disk, and its number must be used again, or the next start finds a gap.
        long nextSegment = Math.max(firstSegment, 1);
        for (long seq : dir.segments()) {
            nextSegment = Math.max(nextSegment, seq + 1);
        }
        return new Result(nextSegment, snapshotBytes);
    }
}
