package io.kube4j.runtime.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An exec or attach over SPDY/3.1, as kubectl speaks it when WebSocket is not offered: the client
 * opens one stream per purpose, named by its {@code streamType} header (error, stdin, stdout,
 * stderr, resize). The command starts once every stream the request asked for is open; the final
 * status goes on the error stream, then every stream is closed and the connection with them.
 */
final class SpdyCommandSession extends SimpleChannelInboundHandler<SpdyFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(SpdyCommandSession.class);

    private final RemoteCommand command;
    private final String protocol;
    private final Set<String> expected = new HashSet<>();
    private final Map<String, Integer> idsByType = new ConcurrentHashMap<>();
    private final Map<Integer, String> typesById = new ConcurrentHashMap<>();
    private final TerminalSize resizes = new TerminalSize();
    private boolean started;
    private volatile boolean finished;

    SpdyCommandSession(RemoteCommand command, StreamRequest.Streams streams, String protocol) {
        this.command = command;
        this.protocol = protocol;
        expected.add("error");
        if (streams.stdin()) {
            expected.add("stdin");
        }
        if (streams.stdout()) {
            expected.add("stdout");
        }
        if (streams.stderr() && !streams.tty()) {
            expected.add("stderr");
        }
        // The resize stream came with v3.
        if (streams.tty() && (protocol.startsWith("v3.") || protocol.startsWith("v4."))) {
            expected.add("resize");
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().eventLoop().schedule(() -> {
            if (!started && ctx.channel().isOpen()) {
                LOG.debug("client opened {} of the streams {} in time; closing", idsByType.keySet(), expected);
                ctx.close();
            }
        }, SpdyStreams.CREATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
        if (frame instanceof SpdySynStreamFrame syn) {
            String type = SpdyHeaderValues.get(syn, "streamtype");
            SpdyStreams.accept(ctx, syn.streamId(), type);
            if (type == null) {
                return;
            }
            idsByType.put(type, syn.streamId());
            typesById.put(syn.streamId(), type);
            if (!started && idsByType.keySet().containsAll(expected)) {
                started = true;
                command.start(new Output(ctx.channel()));
            }
            if (syn.isLast() && type.equals("stdin")) {
                command.closeStdin();
            }
        } else if (frame instanceof SpdyDataFrame data) {
            String type = typesById.get(data.streamId());
            ByteBuf content = data.content();
            if ("stdin".equals(type)) {
                if (content.isReadable()) {
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    command.stdin(bytes);
                }
                if (data.isLast()) {
                    command.closeStdin();
                }
            } else if ("resize".equals(type) && content.isReadable()) {
                for (TerminalSize.Size size : resizes.feed(content.toString(StandardCharsets.UTF_8))) {
                    command.resize(size.width(), size.height());
                }
            }
        } else if (frame instanceof SpdyRstStreamFrame rst && "stdin".equals(typesById.get(rst.streamId()))) {
            command.closeStdin();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            command.abort();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SPDY streaming session failed: {}", cause.getMessage());
        ctx.close();
    }

    private final class Output implements CommandOutput {
        private final Channel channel;

        Output(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void stdout(byte[] data, int length) {
            Integer id = idsByType.get("stdout");
            if (id != null) {
                SpdyStreams.data(channel, id, data, length);
            }
        }

        @Override
        public void stderr(byte[] data, int length) {
            Integer id = idsByType.get("stderr");
            if (id != null) {
                SpdyStreams.data(channel, id, data, length);
            }
        }

        @Override
        public void finish(CommandStatus status) {
            finished = true;
            String payload = status.encode(protocol);
            Integer error = idsByType.get("error");
            if (payload != null && error != null) {
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                SpdyStreams.data(channel, error, bytes, bytes.length);
            }
            for (int id : typesById.keySet()) {
                SpdyStreams.finish(channel, id);
            }
            SpdyStreams.closeSoon(channel);
        }
    }
}
