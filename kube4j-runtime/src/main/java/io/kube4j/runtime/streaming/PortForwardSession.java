package io.kube4j.runtime.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Port forwarding over the WebSocket protocol: port i of the request uses stream 2i for data and
 * 2i+1 for errors; each stream opens with the port number (2 bytes, little endian). Connections go
 * to the pod IP, which the node reaches through the pod bridge.
 */
final class PortForwardSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final StreamRequest.PortForward request;
    private final List<Integer> ports;
    private final Map<Integer, Socket> sockets = new HashMap<>();

    PortForwardSession(StreamRequest.PortForward request, List<Integer> ports) {
        this.request = request;
        this.ports = ports;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            byte[] prefix = {(byte) (port & 0xff), (byte) ((port >> 8) & 0xff)};
            Channels.send(channel, 2 * i, prefix, 2);
            Channels.send(channel, 2 * i + 1, prefix, 2);
            try {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(request.podIp(), port), 10_000);
                sockets.put(2 * i, socket);
                pump(socket, channel, 2 * i);
            } catch (IOException e) {
                byte[] message = ("error connecting to port " + port + " of pod sandbox " + request.sandboxId() + ": "
                        + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                Channels.send(channel, 2 * i + 1, message, message.length);
            }
        }
    }

    private static void pump(Socket socket, Channel channel, int stream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    Channels.send(channel, stream, buffer, n);
                }
            } catch (IOException ignored) {
                // connection closed
            }
            channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        }, "port-forward-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws IOException {
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.close();
        } else if (frame instanceof BinaryWebSocketFrame) {
            ByteBuf content = frame.content();
            if (!content.isReadable()) {
                return;
            }
            Socket socket = sockets.get((int) content.readUnsignedByte());
            if (socket != null && content.isReadable()) {
                byte[] data = new byte[content.readableBytes()];
                content.readBytes(data);
                socket.getOutputStream().write(data);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Socket socket : sockets.values()) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
