package io.kube4j.apiserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A byte stream carried in WebSocket binary messages, as kubectl (1.30+) tunnels its SPDY port-forward
 * connection ({@code SPDY/3.1+portforward.k8s.io}): the API server unwraps the messages and speaks plain SPDY to
 * the kubelet, as upstream's tunneling handler does.
 */
final class WebSocketTunnel {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private WebSocketTunnel() {
    }

    /** The server's handshake answer selecting {@code subprotocol}. */
    static ByteBuf handshakeResponse(String key, String subprotocol) {
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\nSec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n";
        return Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
    }

    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key.trim() + GUID)
                    .getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /** The client side's handlers: WebSocket framing, then the unwrapped bytes spliced to {@code backend}. */
    static ChannelInitializer<Channel> clientSide(Channel backend) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new WebSocket13FrameDecoder(true, false, MAX_FRAME_BYTES),
                        new WebSocket13FrameEncoder(false), new Unwrap(), new Splice(backend));
            }
        };
    }

    /** What the backend sends, as binary messages to the client. */
    static Object wrap(Object msg) {
        return msg instanceof ByteBuf bytes ? new BinaryWebSocketFrame(bytes) : msg;
    }

    /** The tunnel's end, as a WebSocket says it: a normal closure. */
    static Object closeFrame() {
        return new CloseWebSocketFrame(1000, "");
    }

    /** Binary and continuation messages become bytes; pings are answered; a close ends the tunnel. */
    private static final class Unwrap extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                ctx.fireChannelRead(frame.content().retain());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            }
            ReferenceCountUtil.release(frame);
        }
    }
}
