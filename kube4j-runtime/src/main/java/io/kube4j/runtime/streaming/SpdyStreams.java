package io.kube4j.runtime.streaming;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;

import java.util.concurrent.TimeUnit;

/** Small helpers for the server side of SPDY/3.1 streams opened by the client. */
final class SpdyStreams {
    /** How long a session waits for the client to open every stream it needs, as upstream's default. */
    static final long CREATION_TIMEOUT_SECONDS = 30;

    private SpdyStreams() {
    }

    /**
     * Replies to a client-opened stream. Netty encodes an empty header set as no header block at all,
     * which SPDY decoders (Netty's own, Go's) reject: echo the stream's type so the block is never empty.
     */
    static void accept(ChannelHandlerContext ctx, int streamId, String streamType) {
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(streamId);
        reply.headers().set("streamtype", streamType == null ? "unknown" : streamType);
        ctx.writeAndFlush(reply);
    }

    static void data(Channel channel, int streamId, byte[] data, int length) {
        channel.writeAndFlush(new DefaultSpdyDataFrame(streamId, Unpooled.copiedBuffer(data, 0, length)));
    }

    /** Half-closes our side of the stream. */
    static void finish(Channel channel, int streamId) {
        channel.writeAndFlush(new DefaultSpdyDataFrame(streamId).setLast(true));
    }

    /**
     * Closes the connection once everything written is flushed. The session handler would wait for
     * the client to close every stream; give it a moment, then close the socket underneath it.
     */
    static void closeSoon(Channel channel) {
        // Tasks run in order on the event loop: this one comes after every write already queued.
        channel.eventLoop().execute(() -> {
            channel.close();
            channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    channel.pipeline().firstContext().close();
                }
            }, 2, TimeUnit.SECONDS);
        });
    }
}
