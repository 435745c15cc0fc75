package io.kube4j.runtime.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An exec or attach over Kubernetes' WebSocket channel protocol: stream 0 stdin, 1 stdout,
 * 2 stderr, 3 the final status, 4 resize; v5 adds [255, n] to close the client's stream n.
 */
final class WebSocketCommandSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketCommandSession.class);

    private final RemoteCommand command;
    private final String protocol;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean finished;

    WebSocketCommandSession(RemoteCommand command, String protocol) {
        this.command = command;
        this.protocol = protocol;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Channel channel = ctx.channel();
        command.start(new CommandOutput() {
            @Override
            public void stdout(byte[] data, int length) {
                Channels.send(channel, Channels.STDOUT, data, length);
            }

            @Override
            public void stderr(byte[] data, int length) {
                Channels.send(channel, Channels.STDERR, data, length);
            }

            @Override
            public void finish(CommandStatus status) {
                finished = true;
                String payload = status.encode(protocol);
                if (payload != null) {
                    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                    Channels.send(channel, Channels.ERROR, bytes, bytes.length);
                }
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.close();
        } else if (frame instanceof BinaryWebSocketFrame) {
            ByteBuf content = frame.content();
            if (!content.isReadable()) {
                return;
            }
            int stream = content.readUnsignedByte();
            byte[] data = new byte[content.readableBytes()];
            content.readBytes(data);
            if (stream == Channels.STDIN && data.length > 0) {
                command.stdin(data);
            } else if (stream == Channels.RESIZE) {
                TerminalSize.Size size = TerminalSize.parse(new String(data, StandardCharsets.UTF_8));
                if (size != null) {
                    command.resize(size.width(), size.height());
                }
            } else if (stream == Channels.CLOSE && data.length > 0 && data[0] == Channels.STDIN) {
                command.closeStdin();
            }
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
        LOG.debug("streaming session failed: {}", cause.getMessage());
        ctx.close();
    }
}
