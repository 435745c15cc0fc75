package io.kube4j.apiserver.http;

import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;
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

    /** A drained list grown past this many messages is dropped rather than kept for the next drain. */
    private static final int KEPT_LIST_CAPACITY = 1024;

    private final Channel channel;
    private final long maxPendingBytes;
    /** Writes one batch to the channel (without flushing) and returns the future of its last write. */
    private final BatchWriter batchWriter;
    private final Object lock = new Object();
    /**
     * Messages queued since the last drain, each a {@link SharedBytes} (sent as it is, shared with other streams)
     * or a {@code byte[][]} (parts sent back to back). Two lists take turns, swapped under {@link #lock}: producers
     * append to one while the event loop writes the other, so queueing allocates nothing per message.
     */
    private ArrayList<Object> queued = new ArrayList<>();
    /** The list the event loop is writing; only the event loop touches it outside the swap. */
    private ArrayList<Object> writing = new ArrayList<>();
    /** Whether a drain is queued on the event loop and has not yet taken the queue; guarded by {@link #lock}. */
    private boolean drainScheduled;
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
        io.netty.channel.ChannelFuture write(Channel channel, List<Object> batch);
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
        return enqueue(parts, length(parts));
    }

    /** Queues bytes shared with other streams, to be sent as they are; false as for {@link #offer(byte[]...)}. */
    boolean offer(SharedBytes shared) {
        return enqueue(shared, shared.length());
    }

    private boolean enqueue(Object message, int length) {
        if (unsent.get() > maxPendingBytes) {
            return false;
        }
        unsent.addAndGet(length);
        boolean schedule;
        synchronized (lock) {
            queued.add(message);
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            execute();
        }
        return true;
    }

    /** Queues the end: {@code lastWrite} runs on the event loop after every message queued before it is written. */
    void end(Consumer<Channel> lastWrite) {
        ending = lastWrite;
        synchronized (lock) {
            if (drainScheduled) {
                return; // the queued drain will see the end
            }
            drainScheduled = true;
        }
        execute();
    }

    long unsentBytes() {
        return unsent.get();
    }

    private void execute() {
        try {
            channel.eventLoop().execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the event loop is shutting down with the server: nothing more can be sent
            synchronized (lock) {
                queued.clear();
            }
        }
    }

    /** On the event loop: writes what is queued as one batch, flushes once, then writes the end if it is due. */
    private void drain() {
        ArrayList<Object> batch;
        synchronized (lock) {
            // the flag is cleared with the swap, so a message queued after it schedules another drain
            batch = queued;
            queued = writing;
            writing = batch;
            drainScheduled = false;
        }
        int size = batch.size();
        if (size > 0) {
            long bytes = 0;
            for (Object message : batch) {
                bytes += length(message);
            }
            if (channel.isActive() && !endWritten) {
                long written = bytes;
                batchWriter.write(channel, batch).addListener(f -> unsent.addAndGet(-written));
                channel.flush();
            } else {
                unsent.addAndGet(-bytes);
            }
            batch.clear();
            if (size > KEPT_LIST_CAPACITY) {
                writing = new ArrayList<>(); // a burst's long list is not kept for the quiet that follows
            }
        }
        Consumer<Channel> end = ending;
        if (end != null && !endWritten) {
            boolean empty;
            synchronized (lock) {
                empty = queued.isEmpty();
            }
            // if more was queued meanwhile, its own drain is scheduled and writes the end after it
            if (empty) {
                endWritten = true;
                end.accept(channel);
            }
        }
    }

    /** The size of a queued message. */
    static int length(Object message) {
        return message instanceof SharedBytes shared ? shared.length() : length((byte[][]) message);
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
