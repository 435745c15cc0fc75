package io.kube4j.runtime.streaming;

import io.kube4j.runtime.oci.Runc;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CRI streaming server: Exec, Attach and PortForward hand back a URL here, and the client (the
 * kubelet, proxying kubectl) upgrades it either to a WebSocket speaking Kubernetes' channel protocol
 * (v5..v1 channel.k8s.io) or to SPDY/3.1 with one stream per purpose, as upstream's streaming
 * library serves both.
 */
public final class StreamingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingServer.class);
    static final String SUBPROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io,v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io";
    static final String PORT_FORWARD_SUBPROTOCOLS = "v4.channel.k8s.io,channel.k8s.io";

    private final RequestCache cache = new RequestCache();
    private final EventLoopGroup group;
    private final Channel server;
    private final String baseUrl;
    private final Runc runc;

    private RemoteCommand newCommand(StreamRequest.Command command) {
        if (command instanceof StreamRequest.Exec exec) {
            return new ExecCommand(runc, exec);
        }
        return new AttachCommand((StreamRequest.Attach) command);
    }

    private StreamingServer(EventLoopGroup group, Channel server, Runc runc) {
        this.group = group;
        this.server = server;
        this.runc = runc;
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        this.baseUrl = "http://" + address.getHostString() + ":" + address.getPort();
    }

    /** Listens on the address (port 0 picks a free port), loopback unless told otherwise. */
    public static StreamingServer start(InetSocketAddress address, Runc runc) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        StreamingServer[] self = new StreamingServer[1];
        Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), self[0].new Router());
                    }
                })
                .bind(address).sync().channel();
        self[0] = new StreamingServer(group, channel, runc);
        LOG.info("CRI streaming server on {}", self[0].baseUrl);
        return self[0];
    }

    public String execUrl(String containerId, List<String> cmd, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        return baseUrl + "/exec/" + cache.put(new StreamRequest.Exec(containerId, List.copyOf(cmd),
                new StreamRequest.Streams(stdin, stdout, stderr, tty)));
    }

    /** Attach joins the container's own stdio through its monitor, whose files live in the bundle directory. */
    public String attachUrl(String containerId, Path bundle, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        return baseUrl + "/attach/" + cache.put(new StreamRequest.Attach(containerId, bundle,
                new StreamRequest.Streams(stdin, stdout, stderr, tty)));
    }

    public String portForwardUrl(String sandboxId, String podIp) {
        return baseUrl + "/portforward/" + cache.put(new StreamRequest.PortForward(sandboxId, podIp));
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Redeems the token in the path and upgrades the connection to the session it names. */
    private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String[] parts = uri.path().split("/");
            if (parts.length != 3) {
                reply(ctx, HttpResponseStatus.NOT_FOUND, "unknown streaming path " + uri.path());
                return;
            }
            StreamRequest session = cache.take(parts[2]);
            if (session == null) {
                reply(ctx, HttpResponseStatus.NOT_FOUND, "unknown or expired streaming token");
                return;
            }
            String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "");
            if (upgrade.equalsIgnoreCase(SpdyUpgrade.PROTOCOL)) {
                String error = SpdyUpgrade.upgrade(ctx, request, session, this::sessionHandler);
                if (error != null) {
                    reply(ctx, HttpResponseStatus.FORBIDDEN, error);
                }
                return;
            }
            if (!"websocket".equalsIgnoreCase(upgrade)) {
                reply(ctx, HttpResponseStatus.BAD_REQUEST,
                        "streaming needs an upgrade to WebSocket (" + SUBPROTOCOLS + ") or " + SpdyUpgrade.PROTOCOL);
                return;
            }
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                    "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(),
                    session instanceof StreamRequest.PortForward ? PORT_FORWARD_SUBPROTOCOLS : SUBPROTOCOLS, false, 16 * 1024 * 1024)
                    .newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                    return;
                }
                String protocol = handshaker.selectedSubprotocol() == null ? "channel.k8s.io" : handshaker.selectedSubprotocol();
                ctx.pipeline().remove(Router.this);
                if (session instanceof StreamRequest.Command command) {
                    ctx.pipeline().addLast(new WebSocketCommandSession(newCommand(command), protocol));
                } else if (session instanceof StreamRequest.PortForward forward) {
                    List<Integer> ports = new ArrayList<>();
                    for (String port : uri.parameters().getOrDefault("port", List.of())) {
                        ports.add(Integer.parseInt(port));
                    }
                    ctx.pipeline().addLast(new PortForwardSession(forward, ports));
                }
                ctx.pipeline().fireChannelActive();
            });
        }

        private io.netty.channel.ChannelHandler sessionHandler(StreamRequest session, String protocol) {
            if (session instanceof StreamRequest.Command command) {
                return new SpdyCommandSession(newCommand(command), command.streams(), protocol);
            }
            return new SpdyPortForwardSession((StreamRequest.PortForward) session);
        }

        private void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
