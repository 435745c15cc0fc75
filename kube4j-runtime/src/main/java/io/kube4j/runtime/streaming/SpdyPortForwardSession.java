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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Port forwarding over SPDY/3.1 (portforward.k8s.io): every forwarded connection is a pair of
 * client-opened streams, {@code streamType} error and data, sharing a {@code requestID} and naming
 * the {@code port}. Once both are open the server connects to the pod's port and relays; a failure
 * is written to the error stream. The session lives until the client hangs up.
 */
final class SpdyPortForwardSession extends SimpleChannelInboundHandler<SpdyFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForwardSession.class);

    private final StreamRequest.PortForward request;
    private final Map<String, Connection> byRequest = new ConcurrentHashMap<>();
    private final Map<Integer, Connection> byStream = new ConcurrentHashMap<>();

    SpdyPortForwardSession(StreamRequest.PortForward request) {
        this.request = request;
    }

    /** One forwarded connection. Guarded by itself: client data may arrive before the pod's port answers. */
    private final class Connection {
        final String requestId;
        int errorStream = -1;
        int dataStream = -1;
        int port = -1;
        Socket socket;
        boolean connecting;
        boolean inputClosed;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Connection(String requestId) {
            this.requestId = requestId;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) throws IOException {
        if (frame instanceof SpdySynStreamFrame syn) {
            opened(ctx, syn);
        } else if (frame instanceof SpdyDataFrame data) {
            Connection connection = byStream.get(data.streamId());
            if (connection == null || connection.dataStream != data.streamId()) {
                return;
            }
            ByteBuf content = data.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            synchronized (connection) {
                if (connection.socket == null) {
                    connection.pending.writeBytes(bytes);
                    connection.inputClosed |= data.isLast();
                    return;
                }
            }
            try {
                connection.socket.getOutputStream().write(bytes);
                if (data.isLast()) {
                    connection.socket.shutdownOutput();
                }
            } catch (IOException e) {
                LOG.debug("port forward write to {}:{} failed: {}", request.podIp(), connection.port, e.getMessage());
            }
        } else if (frame instanceof SpdyRstStreamFrame rst) {
            Connection connection = byStream.get(rst.streamId());
            if (connection != null) {
                close(connection);
            }
        }
    }

    private void opened(ChannelHandlerContext ctx, SpdySynStreamFrame syn) {
        String type = SpdyHeaderValues.get(syn, "streamtype");
        SpdyStreams.accept(ctx, syn.streamId(), type);
        String portText = SpdyHeaderValues.get(syn, "port");
        String requestId = SpdyHeaderValues.get(syn, "requestid");
        if (requestId == null) {
            // Clients before requestID pair streams by order: error, then data.
            requestId = Integer.toString(type != null && type.equals("data") ? syn.streamId() - 2 : syn.streamId());
        }
        Connection connection = byRequest.computeIfAbsent(requestId, Connection::new);
        byStream.put(syn.streamId(), connection);
        boolean ready;
        synchronized (connection) {
            if ("error".equals(type)) {
                connection.errorStream = syn.streamId();
            } else if ("data".equals(type)) {
                connection.dataStream = syn.streamId();
            }
            if (portText != null) {
                try {
                    connection.port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    connection.port = -1;
                }
            }
            ready = connection.errorStream >= 0 && connection.dataStream >= 0 && !connection.connecting;
            connection.connecting |= ready;
        }
        if (ready) {
            Channel channel = ctx.channel();
            Thread thread = new Thread(() -> forward(channel, connection), "port-forward-" + connection.port);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void forward(Channel channel, Connection connection) {
        if (connection.port <= 0 || connection.port > 65535) {
            fail(channel, connection, "invalid port " + connection.port);
            return;
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(request.podIp(), connection.port), 10_000);
            synchronized (connection) {
                byte[] early = connection.pending.toByteArray();
                if (early.length > 0) {
                    socket.getOutputStream().write(early);
                }
                if (connection.inputClosed) {
                    socket.shutdownOutput();
                }
                connection.socket = socket;
            }
        } catch (IOException e) {
            closeQuietly(socket);
            fail(channel, connection, "error forwarding port " + connection.port + " to pod sandbox " + request.sandboxId()
                    + ": " + e.getMessage());
            return;
        }
        byte[] buffer = new byte[16384];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                SpdyStreams.data(channel, connection.dataStream, buffer, n);
            }
        } catch (IOException ignored) {
            // the pod or the client closed the connection
        }
        SpdyStreams.finish(channel, connection.dataStream);
        SpdyStreams.finish(channel, connection.errorStream);
        close(connection);
    }

    private void fail(Channel channel, Connection connection, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        SpdyStreams.data(channel, connection.errorStream, bytes, bytes.length);
        SpdyStreams.finish(channel, connection.errorStream);
        SpdyStreams.finish(channel, connection.dataStream);
        close(connection);
    }

    private void close(Connection connection) {
        byRequest.remove(connection.requestId);
        byStream.remove(connection.errorStream);
        byStream.remove(connection.dataStream);
        synchronized (connection) {
            if (connection.socket != null) {
                closeQuietly(connection.socket);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Connection connection : byRequest.values()) {
            close(connection);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SPDY port forward session failed: {}", cause.getMessage());
        ctx.close();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
