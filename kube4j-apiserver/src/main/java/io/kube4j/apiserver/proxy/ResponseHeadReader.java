package io.kube4j.apiserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Reads a backend's answer to an upgrade request. A 101 completes {@link #answer()} at once and leaves every later
 * byte in place: removing this handler hands them to whatever comes next. Any other status is read with its body
 * (up to a limit) so that its message can be told to the client: the body as the backend framed it - a length,
 * chunks, or up to the close - is read by Netty's HTTP decoder, which this reader passes the answer on to.
 */
final class ResponseHeadReader extends ByteToMessageDecoder {

    /** What the backend said; the body is empty for a 101. */
    record Answer(ResponseHead head, byte[] body) {
    }

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final BiConsumer<Channel, ResponseHead> onSwitched;
    private ResponseHead head;

    /**
     * @param onSwitched runs on the event loop as soon as a 101 is read, before any later byte is handled: the place
     *                   to splice. (A dependent of {@link #answer()} would not do: it may run on the thread that waits.)
     */
    ResponseHeadReader(BiConsumer<Channel, ResponseHead> onSwitched) {
        this.onSwitched = onSwitched;
    }

    CompletableFuture<Answer> answer() {
        return answer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (answer.isDone()) {
            if (head == null || head.status() != 101) {
                in.skipBytes(in.readableBytes());
            }
            return;
        }
        if (head != null) {
            // a refusal's body, on its way to the decoder
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        int end = headEnd(in);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEAD_BYTES) {
                fail(ctx, new IOException("the backend's response head is larger than " + MAX_HEAD_BYTES + " bytes"));
            }
            return;
        }
        byte[] raw = new byte[end - in.readerIndex()];
        in.readBytes(raw);
        try {
            head = ResponseHead.parse(raw);
        } catch (IllegalArgumentException e) {
            fail(ctx, new IOException(e.getMessage()));
            return;
        }
        if (head.status() == 101) {
            // the rest belongs to the new protocol: wait here until the proxy splices the connections
            ctx.channel().config().setAutoRead(false);
            try {
                onSwitched.accept(ctx.channel(), head);
            } finally {
                answer.complete(new Answer(head, new byte[0]));
            }
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), null, new RefusalBody());
        pipeline.addAfter(ctx.name(), null, new HttpResponseDecoder());
        // the decoder reads the answer from its first byte: the head again, then whatever followed it
        out.add(Unpooled.wrappedBuffer(raw));
        out.add(in.readRetainedSlice(in.readableBytes()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // the decoder behind ends a body that lasts up to the close, and completes the answer with it
        super.channelInactive(ctx);
        answer.completeExceptionally(new IOException("the backend closed the connection before answering"));
    }

    /** Collects a refusal's decoded body, up to the limit, and completes the answer with it. */
    private final class RefusalBody extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                    // a body cut short or framed wrongly: the client gets what came, as a Go proxy copying it would
                    complete(ctx);
                    return;
                }
                if (msg instanceof HttpContent content) {
                    ByteBuf bytes = content.content();
                    int n = Math.min(bytes.readableBytes(), MAX_BODY_BYTES - body.size());
                    body.write(ByteBufUtil.getBytes(bytes, bytes.readerIndex(), n), 0, n);
                    if (msg instanceof LastHttpContent || body.size() >= MAX_BODY_BYTES) {
                        complete(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void complete(ChannelHandlerContext ctx) {
            answer.complete(new Answer(head, body.toByteArray()));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // cut short: what came is all there is
            answer.complete(new Answer(head, body.toByteArray()));
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        answer.completeExceptionally(cause);
        ctx.close();
    }

    /** The index just past the blank line that ends the head, or -1. */
    private static int headEnd(ByteBuf in) {
        for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
