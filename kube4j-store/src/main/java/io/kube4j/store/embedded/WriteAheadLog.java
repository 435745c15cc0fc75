package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The write-ahead log with group commit: one writer thread takes every record queued while the previous
 * fsync ran, writes them in queue order and covers them all with a single fsync. Queue order is revision
 * order because the store appends under its apply lock.
 */
final class WriteAheadLog implements AutoCloseable {
    static final byte[] SEGMENT_MAGIC = "K4JWAL01".getBytes(StandardCharsets.US_ASCII);
    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);

    /** Opens a new segment file for writing (tests substitute one that fails). */
    interface SegmentOpener {
        SegmentOpener FILES = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

        FileChannel open(java.nio.file.Path path) throws IOException;
    }

    /** Told, on the writer thread, what became durable (in order) or that the log is broken. */
    interface Listener {
        void onDurable(List<Proposal> batch, long bytesWritten);

        void onFailure(IOException cause);
    }

    private final DataDirectory dir;
    private final long segmentBytes;
    private final Listener listener;
    private final SegmentOpener opener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final CRC32C crc = new CRC32C();
    private ArrayList<Proposal> pending = new ArrayList<>();
    private ArrayList<Proposal> spare = new ArrayList<>();
    private boolean closing;
    private volatile IOException failure;
    private FileChannel segment;
    private long segmentSeq;
    private long segmentSize;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final Thread writer;
    private volatile long batches;
    private volatile long records;

    WriteAheadLog(DataDirectory dir, long firstSegmentSeq, long segmentBytes, Listener listener,
                  SegmentOpener opener) throws IOException {
        this.dir = dir;
        this.opener = opener;
        this.segmentBytes = segmentBytes;
        this.listener = listener;
        openSegment(firstSegmentSeq);
        this.writer = new Thread(this::run, "kube4j-store-wal");
        writer.setDaemon(true);
        writer.start();
    }

    long currentSegment() {
        return segmentSeq;
    }

    /** Queues a record; call with the store's apply lock held so queue order is revision order. */
    void append(Proposal proposal) {
        lock.lock();
        try {
            if (failure != null) {
                throw new StoreException.Unavailable("the store's log failed: " + failure.getMessage(), failure);
            }
            if (closing) {
                throw new StoreException.Unavailable("the store is closed", null);
            }
            pending.add(proposal);
            if (pending.size() == 1) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            ArrayList<Proposal> batch;
            lock.lock();
            try {
                while (pending.isEmpty() && !closing) {
                    notEmpty.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = spare;
            } finally {
                lock.unlock();
            }
            long bytes;
            try {
                bytes = writeBatch(batch);
            } catch (IOException | RuntimeException e) {
                IOException cause = e instanceof IOException io ? io : new IOException(e);
                failAll(cause, batch);
                return;
            }
            batches++;
            records += batch.size();
            listener.onDurable(batch, bytes);
            batch.clear();
            spare = batch;
        }
    }

    private long writeBatch(List<Proposal> batch) throws IOException {
        long written = 0;
        buffer.clear();
        for (Proposal p : batch) {
            if (p.record instanceof WalRecord.SegmentBoundary) {
                written += flush();
                rollSegment();
                p.segmentAfter = segmentSeq;
                continue;
            }
            int size = RecordCodec.maxFramedSize(p.record);
            if (buffer.remaining() < size) {
                written += flush();
                if (buffer.capacity() < size) {
                    buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
                }
            }
            RecordCodec.encode(p.record, buffer, crc);
        }
        written += flush();
        segment.force(false);
        if (segmentSize >= segmentBytes) {
            rollSegment();
        }
        return written;
    }

    private long flush() throws IOException {
        buffer.flip();
        long n = 0;
        while (buffer.hasRemaining()) {
            n += segment.write(buffer);
        }
        buffer.clear();
        segmentSize += n;
        return n;
    }

    private void rollSegment() throws IOException {
        segment.force(false);
        segment.close();
        openSegment(segmentSeq + 1);
    }

    private void openSegment(long seq) throws IOException {
        FileChannel ch = opener.open(dir.segment(seq));
        ByteBuffer magic = ByteBuffer.wrap(SEGMENT_MAGIC);
        while (magic.hasRemaining()) {
            ch.write(magic);
        }
        ch.force(true);
        dir.fsyncDirectory();
        segment = ch;
        segmentSeq = seq;
        segmentSize = SEGMENT_MAGIC.length;
    }

    private void failAll(IOException cause, List<Proposal> batch) {
        log.error("the store's write-ahead log failed; no further writes are accepted", cause);
        List<Proposal> rest;
        lock.lock();
        try {
            failure = cause;
            closing = true;
            rest = new ArrayList<>(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        listener.onFailure(cause);
        batch.forEach(p -> p.fail(cause));
        rest.forEach(p -> p.fail(cause));
    }

    /** Average records covered by one fsync so far (group commit at work). */
    double recordsPerSync() {
        long b = batches;
        return b == 0 ? 0 : records / (double) b;
    }

    boolean failed() {
        return failure != null;
    }

    /** Writes what is queued, then stops the writer and closes the segment. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (segment.isOpen()) {
                segment.force(false);
                segment.close();
            }
        } catch (IOException e) {
            log.warn("closing log segment {}: {}", dir.segment(segmentSeq), e.toString());
        }
    }
}
