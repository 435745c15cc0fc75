package io.kube4j.apiserver.http;

import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The outbound side of one streamed response (a watch): any thread queues messages, and one task on the channel's
 * event loop writes everything queued so far and flushes once. A producer thus never waits for the socket and
 * never hands the event loop one task (and the kernel one send) per message: under load, messages queued while
 * the previous batch was being written go out together, as upstream's watch server flushes only when its event
 * channel is empty. Messages keep their order, and the end of the stream is queued behind them.
 */
final class CoalescingOutbound {

    private final Channel channel;
    private final long maxPendingBytes;
    /** Writes one batch to the channel (without flushing) and returns the future of its last write. */
    private final BatchWriter batchWriter;
    /** Each message is an array of parts sent back to back (parts may be shared with other streams). */
    private final ConcurrentLinkedQueue<byte[][]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /**
     * Bytes queued or written but not yet handed to the socket. Counted here rather than read from the channel's
     * outbound buffer, which HTTP/2 stream channels do not have: their data waits in the flow controller instead.
     */
    private final AtomicLong unsent = new AtomicLong();
    /** The end of the stream, run on the event loop once every queued message is written; null until ended. */
    private volatile Consumer<Channel> ending;
    private boolean endWritten;

    /** Writes a batch of messages to the channel, unflushed; the returned future completes when all are sent. */
    interface BatchWriter {
        io.netty.channel.ChannelFuture write(Channel channel, List<byte[][]> batch);
    }

    CoalescingOutbound(Channel channel, long maxPendingBytes, BatchWriter batchWriter) {
        this.channel = channel;
        this.maxPendingBytes = maxPendingBytes;
        this.batchWriter = batchWriter;
    }

    /**
     * Queues one message made of {@code parts}; false if the client already has more than the limit unsent (it is
     * too slow).
     */
    boolean offer(byte[]... parts) {
        if (unsent.get() > maxPendingBytes) {
            return false;
        }
        unsent.addAndGet(length(parts));
        queue.add(parts);
        scheduleDrain();
        return true;
    }

    /** Queues the end: {@code lastWrite} runs on the event loop after every message queued before it is written. */
    void end(Consumer<Channel> lastWrite) {
        ending = lastWrite;
        scheduleDrain();
    }

    long unsentBytes() {
        return unsent.get();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the event loop is shutting down with the server: nothing more can be sent
                queue.clear();
            }
        }
    }

    /** On the event loop: writes what is queued as batches, flushes once, then writes the end if it is due. */
    private void drain() {
        // cleared first, so that a message queued while this runs schedules another drain and is not stranded
        drainScheduled.set(false);
        List<byte[][]> batch = new ArrayList<>();
        long bytes = 0;
        byte[][] message;
        while ((message = queue.poll()) != null) {
            batch.add(message);
            bytes += length(message);
        }
        if (!batch.isEmpty()) {
            if (channel.isActive() && !endWritten) {
                long written = bytes;
                batchWriter.write(channel, batch).addListener(f -> unsent.addAndGet(-written));
                channel.flush();
            } else {
                unsent.addAndGet(-bytes);
            }
        }
        Consumer<Channel> end = ending;
        if (end != null && !endWritten && queue.isEmpty()) {
            endWritten = true;
            end.accept(channel);
        }
    }

    /** The size of a message made of {@code parts}. */
    static int length(byte[][] parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        return length;
    }
}
