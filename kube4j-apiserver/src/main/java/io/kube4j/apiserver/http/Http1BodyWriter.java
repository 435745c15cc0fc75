package io.kube4j.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A response body of unknown length on a Netty channel: held until it passes {@code threshold} bytes (one of at
 * most that size is handed to {@code sendWhole} on close, which then owns the buffer), then chunked, optionally gzip-compressed, in chunks of
 * {@link #CHUNK_BYTES}. A worker thread waits while the channel is not writable, so a slow client holds one chunk in
 * flight rather than the whole body in memory; the event loop, which serves only single-object answers, never
 * waits (it is what writes).
 */
final class Http1BodyWriter implements ResponseSink.BodyWriter {

    /** Large enough that a big list costs few writes and flushes, small enough to hold back a slow client. */
    static final int CHUNK_BYTES = 256 * 1024;
    /** Most answers are one object of a few KB. */
    private static final int INITIAL_HELD_BYTES = 4096;
    /** Upstream's request timeout: a client that takes nothing for this long is cut off. */
    private static final long STALL_SECONDS = 60;

    private final Channel channel;
    private final int threshold;
    private final Consumer<ByteBuf> sendWhole;
    /** Sends the head of a chunked response; false if the body is to be dropped (a HEAD request). */
    private final BooleanSupplier startChunked;
    private final boolean gzip;
    private final Consumer<ChannelFuture> finish;

    /**
     * The body so far, below the threshold: a buffer of the channel's allocator (pooled, heap) rather than a growing
     * array of our own - a list of a hundred objects grew one from 1 KB by doubling and copied it once more to send
     * it, a fifth of all the server allocated under the bench's CRUD load. Null until the first byte.
     */
    private ByteBuf held;
    /** Where bytes go once chunked: the chunker, or a gzip stream over it. Null until then. */
    private OutputStream out;
    private Chunker chunker;
    private boolean ended;

    Http1BodyWriter(Channel channel, int threshold, Consumer<ByteBuf> sendWhole, BooleanSupplier startChunked,
                    boolean gzip, Consumer<ChannelFuture> finish) {
        this.channel = channel;
        this.threshold = threshold;
        this.sendWhole = sendWhole;
        this.startChunked = startChunked;
        this.gzip = gzip;
        this.finish = finish;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("the response body has ended");
        }
        if (out == null) {
            int heldLength = held == null ? 0 : held.readableBytes();
            if (heldLength + length <= threshold) { // a body of exactly the threshold is sent whole
                if (held == null) {
                    held = channel.alloc().heapBuffer(Math.max(length, INITIAL_HELD_BYTES), threshold);
                }
                held.writeBytes(bytes, offset, length);
                return;
            }
            start();
        }
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the chunked answer if it has not started, and sends every byte written so far. */
    @Override
    public void flush() {
        if (ended) {
            throw new IllegalStateException("the response body has ended");
        }
        if (out == null) {
            start();
        }
        try {
            // through gzip's sync flush (if any) into the chunker, whose flush sends its part-filled chunk
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void releaseHeld() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private void start() {
        chunker = new Chunker(startChunked.getAsBoolean());
        try {
            out = gzip ? GzipLevel.open(chunker, CHUNK_BYTES) : chunker;
            if (held != null) {
                out.write(held.array(), held.arrayOffset() + held.readerIndex(), held.readableBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            releaseHeld();
        }
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        if (out == null) {
            ByteBuf whole = held == null ? Unpooled.EMPTY_BUFFER : held;
            held = null;
            sendWhole.accept(whole);
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (chunker.sending) {
            finish.accept(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        }
    }

    @Override
    public void abort() {
        if (!ended) {
            ended = true;
            releaseHeld();
            if (chunker != null) {
                chunker.discard();
            }
            // on HTTP/1.1 this closes the connection; on an HTTP/2 stream it resets just that stream
            channel.close();
        }
    }

    /**
     * Cuts what it is given into chunks and writes them to the channel, waiting while the client is behind. A chunk
     * is filled straight into a buffer of the channel's allocator (pooled, direct): the transport writes it as it
     * is, where a heap array would be copied into a direct buffer once more on its way to the socket.
     */
    private final class Chunker extends OutputStream {
        private final boolean sending;
        /** The chunk being filled; null between chunks and for a body that is not sent. */
        private ByteBuf chunk;
        private ChannelFuture lastWrite;

        Chunker(boolean sending) {
            this.sending = sending;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            if (!sending) {
                return;
            }
            while (count > 0) {
                if (chunk == null) {
                    chunk = channel.alloc().directBuffer(CHUNK_BYTES, CHUNK_BYTES);
                }
                int n = Math.min(count, chunk.writableBytes());
                chunk.writeBytes(bytes, offset, n);
                offset += n;
                count -= n;
                if (!chunk.isWritable()) {
                    emit();
                }
            }
        }

        @Override
        public void close() {
            if (chunk != null && chunk.isReadable()) {
                emit();
            } else {
                // all of it went out in flushed parts
                discard();
            }
        }

        /**
         * Sends what the chunk holds as a view of it, without a copy; the bytes that follow fill the rest of the
         * same buffer, which is released once every part of it was written.
         */
        @Override
        public void flush() {
            if (sending && chunk != null && chunk.isReadable()) {
                send(chunk.readRetainedSlice(chunk.readableBytes()));
            }
        }

        /** Drops a chunk that will not be sent (the response broke part-way). */
        void discard() {
            if (chunk != null) {
                chunk.release();
                chunk = null;
            }
        }

        private void emit() {
            ByteBuf full = chunk;
            chunk = null;
            send(full);
        }

        /** Writes {@code full}'s readable bytes as one chunk (taking it over), once the client keeps up. */
        private void send(ByteBuf full) {
            try {
                // on the event loop (a request served there: one object, not a stream) the loop itself writes, after
                // this returns - waiting for it would never end
                if (lastWrite != null && !channel.isWritable() && !channel.eventLoop().inEventLoop()) {
                    awaitWritten(lastWrite);
                }
                if (!channel.isActive()) {
                    throw new IllegalStateException("the client went away");
                }
            } catch (RuntimeException e) {
                full.release();
                throw e;
            }
            // Netty owns the buffer from here and releases it once written (or failed)
            lastWrite = channel.writeAndFlush(new DefaultHttpContent(full));
        }

        private void awaitWritten(ChannelFuture write) {
            if (!write.awaitUninterruptibly(STALL_SECONDS, TimeUnit.SECONDS)) {
                channel.close();
                throw new IllegalStateException("the client took nothing for " + STALL_SECONDS + " s");
            }
            if (!write.isSuccess()) {
                throw new IllegalStateException("the client went away", write.cause());
            }
        }
    }
}
