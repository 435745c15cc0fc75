package io.kube4j.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The store's directory: a marker saying it is ours (with the format version), an exclusive lock so one
 * process owns it, log segments {@code wal-<seq>.log} and snapshots {@code snapshot-<revision>.snap}.
 */
final class DataDirectory implements AutoCloseable {
    static final String MARKER = "KUBE4J_STORE";
    static final String LOCK = "LOCK";
    static final String FORMAT = "kube4j-store format 1";

    private static final Pattern SEGMENT = Pattern.compile("wal-([0-9a-f]{16})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-([0-9a-f]{16})\\.snap");

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DataDirectory open(Path dir) {
        try {
            Files.createDirectories(dir);
            Path marker = dir.resolve(MARKER);
            boolean ours = Files.exists(marker);
            if (!ours && !isEmpty(dir)) {
                throw new IllegalStateException(dir + " is not a kube4j store directory: it is not empty and has no "
                        + MARKER + " file; point the store at an empty or new directory");
            }
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("data directory " + dir + " is in use by another kube4j (lock held on "
                        + dir.resolve(LOCK) + ")");
            }
            DataDirectory dd = new DataDirectory(dir, channel, lock);
            if (ours) {
                String format = Files.readString(marker, StandardCharsets.UTF_8).trim();
                if (!format.equals(FORMAT)) {
                    dd.close();
                    throw new IllegalStateException(dir + " holds a kube4j store of an unknown format '" + format
                            + "' (this version reads '" + FORMAT + "')");
                }
            } else {
                Path tmp = dir.resolve(MARKER + ".tmp");
                Files.writeString(tmp, FORMAT + "\n", StandardCharsets.UTF_8);
                fsync(tmp);
                Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                dd.fsyncDirectory();
            }
            return dd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open store directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Empty but for what an interrupted first open leaves behind (the lock file, a half-written marker). */
    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .allMatch(name -> name.equals(LOCK) || name.equals(MARKER + ".tmp"));
        }
    }

    Path path() {
        return dir;
    }

    Path segment(long seq) {
        return dir.resolve(String.format("wal-%016x.log", seq));
    }

    /**
     * Where the log's next segment is prepared before it gets its number; a {@code .tmp} name, so recovery deletes
     * one a crash left behind.
     */
    Path spareSegment() {
        return dir.resolve("spare-segment.tmp");
    }

    Path snapshot(long revision) {
        return dir.resolve(String.format("snapshot-%016x.snap", revision));
    }

    /** Sequence numbers of the log segments present, ascending. */
    List<Long> segments() throws IOException {
        return numbered(SEGMENT);
    }

    /** Revisions of the snapshots present, ascending. */
    List<Long> snapshots() throws IOException {
        return numbered(SNAPSHOT);
    }

    private List<Long> numbered(Pattern pattern) throws IOException {
        List<Long> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    result.add(Long.parseUnsignedLong(m.group(1), 16));
                }
            });
        }
        result.sort(null);
        return result;
    }

    /** Makes creations, renames and deletions in the directory durable. */
    void fsyncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        try {
            lockChannel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
