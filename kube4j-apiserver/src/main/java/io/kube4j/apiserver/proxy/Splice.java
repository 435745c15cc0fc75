package io.kube4j.apiserver.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One direction of a relay between two connections: what this channel reads is written to the peer. Reading
 * pauses while the peer cannot keep up (its outbound buffer is above the high-water mark) and resumes when it
 * drains, so a slow side never makes the other buffer without bound. Closing either side closes both, after
 * what was already read has been written.
 */
final class Splice extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Splice.class);

    private final Channel peer;
    private final UnaryOperator<Object> translate;
    private final Supplier<Object> goodbye;

    /**
     * @param translate turns what this side reads into what the peer is sent (e.g. bytes into WebSocket frames)
     * @param goodbye   the last message the peer is sent when this side closes (e.g. a WebSocket close frame)
     */
    Splice(Channel peer, UnaryOperator<Object> translate, Supplier<Object> goodbye) {
        this.peer = peer;
        this.translate = translate;
        this.goodbye = goodbye;
    }

    Splice(Channel peer) {
        this(peer, UnaryOperator.identity(), () -> Unpooled.EMPTY_BUFFER);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Object out = translate.apply(msg);
        if (out == null) {
            return;
        }
        if (!peer.isActive()) {
            io.netty.util.ReferenceCountUtil.release(out);
            ctx.close();
            return;
        }
        peer.write(out);
        if (!peer.isWritable()) {
            // pause before flushing: the flush may drain the peer at once and resume reading right away
            ctx.channel().config().setAutoRead(false);
            peer.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        ctx.fireChannelReadComplete();
    }

    /** This side drained: the peer, which feeds it, may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(goodbye.get()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("relay {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
