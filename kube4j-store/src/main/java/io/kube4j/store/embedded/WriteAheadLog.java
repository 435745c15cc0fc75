package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The write-ahead log with writer-led group commit: a writer that finds the log idle writes and fsyncs every record
 * queued so far itself (it leads), so a lone writer hands its record to no other thread; records queued while a
 * leader's fsync runs wait, and once it is done the first of them leads the next batch, covering them all with a
 * single fsync. Queue order is revision order because the store appends under its apply lock. Only the leader of the
 * moment touches the segment, the buffer and the listener, one leader after the other (the {@code writing} flag,
 * under the queue lock).
 *
 * <p>Segments are preallocated (see {@link SegmentPreallocator}): records overwrite zeros in a file whose blocks and
 * size are already on disk, so the fsync of a batch flushes data only. The zero tail of the newest segment is where
 * the log ends; a segment is cut to its records when the log moves on from it (or closes), so only the newest one
 * can have such a tail. The first segment after a start is preallocated small, so opening a store stays cheap, and
 * each next one twice the previous up to {@code segmentBytes}, so a log that is written fast soon rolls rarely.
 */
final class WriteAheadLog implements AutoCloseable {
    static final byte[] SEGMENT_MAGIC = "K4JWAL01".getBytes(StandardCharsets.US_ASCII);
    /**
     * Size of the first preallocated segment after a start: zero-filling it is on the start's path (a few ms), and
     * the sizes double from there, so a busy log reaches {@code segmentBytes} within a few rolls.
     */
    static final long FIRST_PREALLOCATION_BYTES = 1L << 20;
    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);

    /** Opens a new segment file for writing (tests substitute one that fails). */
    interface SegmentOpener {
        SegmentOpener FILES = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

        FileChannel open(java.nio.file.Path path) throws IOException;

        /** Opens an existing segment again, after an interrupt closed its channel mid-write. */
        default FileChannel reopen(java.nio.file.Path path) throws IOException {
            return FileChannel.open(path, StandardOpenOption.WRITE);
        }
    }

    /**
     * Told, on the leading writer's thread, what became durable (in order) or that the log is broken. The log
     * completes the batch's proposals itself, after {@code onDurable} has returned and the lead has passed on.
     */
    interface Listener {
        void onDurable(List<Proposal> batch, long bytesWritten);

        void onFailure(IOException cause);
    }

    private final DataDirectory dir;
    private final long segmentBytes;
    private final Listener listener;
    private final SegmentOpener opener;
    /** Null when segments are not preallocated: they then grow by appending, as before. */
    private final SegmentPreallocator preallocator;
    /** Guards the queue, {@code writing} and {@code closing}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a leader is done, for {@link #close}. */
    private final Condition idle = lock.newCondition();
    private final CRC32C crc = new CRC32C();
    private ArrayList<Proposal> pending = new ArrayList<>();
    private ArrayList<Proposal> spare = new ArrayList<>();
    /** A leader is writing a batch: everyone else queues and waits. */
    private boolean writing;
    private boolean closing;
    private volatile IOException failure;
    private FileChannel segment;
    private long segmentSeq;
    private long segmentSize;
    /** Where the current segment ends: a record that would cross it goes into the next one. */
    private long segmentLimit;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private volatile long batches;
    private volatile long records;

    WriteAheadLog(DataDirectory dir, long firstSegmentSeq, long segmentBytes, boolean preallocate, Listener listener,
                  SegmentOpener opener) throws IOException {
        this.dir = dir;
        this.opener = opener;
        this.segmentBytes = segmentBytes;
        this.listener = listener;
        this.preallocator = preallocate ? new SegmentPreallocator(dir, opener) : null;
        SegmentPreallocator.Spare first = null;
        if (preallocator != null) {
            try {
                first = preallocator.create(Math.min(segmentBytes, FIRST_PREALLOCATION_BYTES));
            } catch (IOException e) {
                log.warn("could not preallocate log segment {}: {}; appending to it instead", firstSegmentSeq,
                        e.toString());
            }
        }
        openSegment(firstSegmentSeq, first);
    }

    long currentSegment() {
        return segmentSeq;
    }

    /**
     * Queues a record; call with the store's apply lock held so queue order is revision order, then
     * {@link #commit} it (outside that lock).
     */
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
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once {@code proposal} (appended by this thread) is durable, or throws Unavailable if it never will be.
     * If no one is writing, this thread writes and fsyncs everything queued itself; otherwise it waits for the
     * current leader, which either covers the proposal or wakes the first queued writer to lead the next batch.
     */
    void commit(Proposal proposal) {
        boolean interrupted = false;
        while (!proposal.isDone()) {
            ArrayList<Proposal> batch = null;
            lock.lock();
            try {
                // not done and no leader: the proposal is either still queued, so leading now covers it, or in the
                // batch a past leader has written and is completing (it passes the lead on first): with nothing
                // queued, wait for that; leading anyway would only write other writers' records (after a failure
                // every proposal is failed)
                if (!writing && !proposal.isDone() && failure == null && !pending.isEmpty()) {
                    batch = takeBatch();
                }
            } finally {
                lock.unlock();
            }
            if (batch != null) {
                lead(batch);
            } else if (!proposal.isDone()) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    // the write is in flight either way: finish waiting, then restore the flag
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        proposal.throwIfFailed();
    }

    /** Takes the queue as the next batch and becomes the leader; call with the lock held and no one writing. */
    private ArrayList<Proposal> takeBatch() {
        writing = true;
        ArrayList<Proposal> batch = pending;
        pending = spare;
        spare = null;
        return batch;
    }

    /**
     * Writes and fsyncs {@code batch}, hands the lead to the first writer queued meanwhile, then completes the batch:
     * the next batch's write starts at once, rather than after every writer of this one was woken (on a busy machine
     * those wake-ups can take the leader's CPU for a while).
     */
    private void lead(ArrayList<Proposal> batch) {
        try {
            long bytes = writeBatchSurvivingInterrupts(batch);
            batches++;
            records += batch.size();
            listener.onDurable(batch, bytes);
        } catch (Throwable e) {
            // anything that escapes here would leave the log led by no one and every writer parked for good (an
            // Error too: the leader runs on a caller's stack, so even a StackOverflowError can land here)
            IOException cause = e instanceof IOException io ? io : new IOException(e);
            failAll(cause, batch);
            return;
        }
        Thread next = null;
        lock.lock();
        try {
            // the batch is still being completed below: the next queue cannot reuse it
            spare = new ArrayList<>(batch.size());
            writing = false;
            if (!pending.isEmpty()) {
                next = pending.get(0).waiter;
            }
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        if (next != null) {
            LockSupport.unpark(next);
        }
        for (int i = 0, n = batch.size(); i < n; i++) {
            batch.get(i).complete();
        }
    }

    /**
     * A leader is a caller's thread, and an interrupt during channel I/O closes the channel (and the log with
     * it). So the interrupt flag is cleared for the write, and a write an interrupt cut short is redone: the
     * segment the batch started in is reopened and cut back to where the batch began (segments the batch opened
     * hold only its own records and go), and the whole batch is written again. The flag is restored afterwards.
     */
    private long writeBatchSurvivingInterrupts(List<Proposal> batch) throws IOException {
        boolean interrupted = Thread.interrupted();
        long startSeq = segmentSeq;
        long startSize = segmentSize;
        long startLimit = segmentLimit;
        try {
            return writeBatch(batch);
        } catch (ClosedByInterruptException e) {
            interrupted = true;
            Thread.interrupted();
            log.debug("an interrupt closed log segment {} mid-write; writing the batch again", segmentSeq);
            return redoOnOwnThread(batch, startSeq, startSize, startLimit);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Restores the log and writes {@code batch} again on a thread of the log's own: a caller interrupted again and
     * again (a cancelled task, a test) could cut every retry on its own thread short, and no one interrupts this one.
     * The caller waits without giving up; its interrupts are left for it to restore.
     */
    private long redoOnOwnThread(List<Proposal> batch, long seq, long size, long limit) throws IOException {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread redo = new Thread(() -> {
            try {
                restore(seq, size, limit);
                done.complete(writeBatch(batch));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, "kube4j-store-wal-redo");
        redo.setDaemon(true);
        redo.start();
        try {
            return done.join(); // uninterruptible, and the thread's writes happen-before the return
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /**
     * Cuts the segment back to {@code size}: its preallocated tail goes too, and the rest of it is appended to as an
     * unpreallocated segment would be (an interrupted write is rare; zeroing the tail again is not worth it).
     */
    private void restore(long seq, long size, long limit) throws IOException {
        try {
            segment.close();
        } catch (IOException ignored) {
            // already closed by the interrupt
        }
        // including one the interrupt caught half-opened; newest first, so a crash midway leaves no gap in the
        // segment numbers (recovery refuses a missing segment)
        List<Long> later = new ArrayList<>();
        for (long s : dir.segments()) {
            if (s > seq) {
                later.add(s);
            }
        }
        later.sort(Comparator.reverseOrder());
        for (long s : later) {
            Files.deleteIfExists(dir.segment(s));
        }
        FileChannel ch = opener.reopen(dir.segment(seq));
        ch.truncate(size);
        ch.position(size);
        segment = ch;
        segmentSeq = seq;
        segmentSize = size;
        segmentLimit = limit;
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
            long used = segmentSize + buffer.position();
            if (used > SEGMENT_MAGIC.length && used + size > segmentLimit) {
                // the record would cross the end of the segment's preallocated space: it starts the next one (one
                // bigger than a whole segment still fits in a segment of its own, which grows past its end)
                written += flush();
                rollSegment();
            }
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

    /**
     * Ends the current segment durably, cut to its records, before the next one exists: recovery may then treat a
     * zero tail in any segment but the newest as damage.
     */
    private void rollSegment() throws IOException {
        segment.force(false);
        cutToRecords();
        segment.close();
        SegmentPreallocator.Spare spare = preallocator == null ? null : preallocator.take();
        openSegment(segmentSeq + 1, spare);
    }

    /** Drops the unused preallocated tail of the current segment, durably. */
    private void cutToRecords() throws IOException {
        if (segment.size() > segmentSize) {
            segment.truncate(segmentSize);
            segment.force(true);
        }
    }

    /** Makes {@code spare} (or, if null, a new empty file) segment {@code seq}, and asks for the next spare. */
    private void openSegment(long seq, SegmentPreallocator.Spare spare) throws IOException {
        if (spare != null) {
            try {
                Files.move(spare.tmp(), dir.segment(seq), StandardCopyOption.ATOMIC_MOVE);
                dir.fsyncDirectory();
            } catch (IOException | RuntimeException e) {
                spare.channel().close(); // not yet the segment: nothing else would close it
                throw e;
            }
            segment = spare.channel();
            segmentSeq = seq;
            segmentSize = SEGMENT_MAGIC.length;
            segmentLimit = spare.size();
            preallocator.prepareAsync(Math.min(segmentBytes, Math.max(spare.size(), FIRST_PREALLOCATION_BYTES) * 2));
            return;
        }
        openAppendedSegment(seq);
        if (preallocator != null) {
            preallocator.prepareAsync(Math.min(segmentBytes, FIRST_PREALLOCATION_BYTES));
        }
    }

    private void openAppendedSegment(long seq) throws IOException {
        FileChannel ch = opener.open(dir.segment(seq));
        try {
            writeMagic(ch);
            ch.force(true);
            dir.fsyncDirectory();
        } catch (IOException | RuntimeException e) {
            ch.close(); // not yet the segment: nothing else would close it
            throw e;
        }
        segment = ch;
        segmentSeq = seq;
        segmentSize = SEGMENT_MAGIC.length;
        segmentLimit = segmentBytes;
    }

    /** Writes the segment header at the channel's position: every segment, appended or preallocated, starts so. */
    static void writeMagic(FileChannel ch) throws IOException {
        ByteBuffer magic = ByteBuffer.wrap(SEGMENT_MAGIC);
        while (magic.hasRemaining()) {
            ch.write(magic);
        }
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
            spare = new ArrayList<>();
            writing = false;
            idle.signalAll();
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

    /**
     * Refuses further appends, writes what is queued (leading itself if no one else does), then closes the
     * segment.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            while (failure == null && (writing || !pending.isEmpty())) {
                if (writing) {
                    idle.awaitUninterruptibly();
                    continue;
                }
                ArrayList<Proposal> batch = takeBatch();
                lock.unlock();
                try {
                    lead(batch);
                } finally {
                    lock.lock();
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            if (segment.isOpen()) {
                segment.force(false);
                if (failure == null) {
                    // a clean stop leaves segments cut to their records (after a failure, the size is not known)
                    cutToRecords();
                }
                segment.close();
            }
        } catch (IOException e) {
            log.warn("closing log segment {}: {}", dir.segment(segmentSeq), e.toString());
        } finally {
            if (preallocator != null) {
                preallocator.close();
            }
        }
    }
}
