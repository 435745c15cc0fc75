package io.kube4j.store.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Prepares the log's next segment ahead of time, as etcd's file pipeline does: a file of fixed size holding the
 * segment header and zeros, written and fsynced on a thread of its own, under a {@code .tmp} name so a crash
 * leaves nothing recovery could mistake for a segment. Records written later overwrite blocks that are already
 * allocated and sized, so the fdatasync of a write has only data to flush, not the file's size and extents.
 *
 * <p>The blocks are zero-filled rather than reserved (fallocate), which Java cannot call anyway: writing into
 * reserved but unwritten extents still makes each fdatasync convert extents, which is the metadata write this
 * avoids. One spare at a time; the writer takes it when it rolls and asks for the next one.
 */
final class SegmentPreallocator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentPreallocator.class);
    /** Zeros are flushed every so often rather than all at the end, so a log fsync never queues behind 64 MiB. */
    private static final long FORCE_EVERY_BYTES = 4L << 20;
    private static final int ZEROS_BYTES = 256 << 10;

    /** A prepared segment: its temporary name, an open channel positioned after the header, and its size. */
    record Spare(Path tmp, FileChannel channel, long size) {
    }

    private final DataDirectory dir;
    private final WriteAheadLog.SegmentOpener opener;
    /** The spare being prepared or ready, or null; only the log's leader of the moment touches it. */
    private CompletableFuture<Spare> next;
    private volatile boolean closed;

    SegmentPreallocator(DataDirectory dir, WriteAheadLog.SegmentOpener opener) {
        this.dir = dir;
        this.opener = opener;
    }

    /** Starts preparing a spare of {@code bytes} in the background, unless one is already on its way. */
    void prepareAsync(long bytes) {
        if (next != null || closed) {
            return;
        }
        CompletableFuture<Spare> f = new CompletableFuture<>();
        next = f;
        Thread t = new Thread(() -> {
            try {
                f.complete(closed ? null : create(bytes));
            } catch (IOException | RuntimeException e) {
                log.warn("could not preallocate the next log segment ({} bytes) in {}: {}; the log appends to a new"
                        + " file instead", bytes, dir.path(), e.toString());
                f.complete(null);
            }
        }, "kube4j-store-wal-preallocate");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The spare, waiting for it if it is still being written (as etcd's cut waits for its pipeline), or null if
     * none was asked for or its preparation failed.
     */
    Spare take() {
        CompletableFuture<Spare> f = next;
        next = null;
        return f == null ? null : f.join(); // uninterruptible: the leader must not lose the log to an interrupt
    }

    /** Creates a spare of {@code bytes} on the caller's thread (the log's first segment at start-up). */
    Spare create(long bytes) throws IOException {
        Path tmp = dir.spareSegment();
        Files.deleteIfExists(tmp); // left by a preparation that failed midway
        FileChannel ch = opener.open(tmp);
        try {
            WriteAheadLog.writeMagic(ch);
            ByteBuffer zeros = ByteBuffer.allocateDirect(ZEROS_BYTES);
            long pos = WriteAheadLog.SEGMENT_MAGIC.length;
            long sinceForce = 0;
            while (pos < bytes) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - pos));
                int n = ch.write(zeros, pos);
                pos += n;
                sinceForce += n;
                if (sinceForce >= FORCE_EVERY_BYTES) {
                    ch.force(false);
                    sinceForce = 0;
                }
            }
            ch.force(true);
            ch.position(WriteAheadLog.SEGMENT_MAGIC.length);
            return new Spare(tmp, ch, Math.max(bytes, WriteAheadLog.SEGMENT_MAGIC.length));
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Drops the spare (waiting for a preparation under way to end), so the directory keeps only segments. */
    @Override
    public void close() {
        closed = true;
        Spare s = take();
        if (s != null) {
            try {
                s.channel().close();
                Files.deleteIfExists(s.tmp());
            } catch (IOException e) {
                log.debug("removing the spare log segment {}: {}", s.tmp(), e.toString());
            }
        }
    }
}
