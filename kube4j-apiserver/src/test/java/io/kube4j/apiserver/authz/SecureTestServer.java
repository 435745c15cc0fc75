package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.json.Json;
import io.kube4j.api.protobuf.KubeProtobuf;
import io.kube4j.apiserver.pki.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTPS server running the security components the way the API server will: TLS with optional client
 * certificates, AccessControl on every request, and the review endpoints kubectl auth uses.
 */
final class SecureTestServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AccessControl gate;
    private final AccessReviews reviews;

    SecureTestServer(SslContext tls, AccessControl gate, AccessReviews reviews) {
        this.gate = gate;
        this.reviews = reviews;
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(),
                                new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        respond(ctx, req);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                (a, b) -> a + "," + b));
        ApiRequest request = new ApiRequest(req.method().name(), uri.path(), uri.parameters(), headers,
                ByteBufUtil.getBytes(req.content()));
        int code = 200;
        ObjectNode body;
        try {
            UserInfo user = gate.check(request, TlsContexts.peerCertificates(ctx.pipeline().get(SslHandler.class)));
            body = route(request, user);
            code = request.method().equals("POST") ? 201 : 200;
        } catch (StatusException e) {
            code = e.code();
            body = e.toStatus();
        } catch (RuntimeException e) {
            code = 500;
            body = StatusException.internalError(e).toStatus();
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.wrappedBuffer(Json.bytes(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response);
    }

    private ObjectNode route(ApiRequest request, UserInfo user) {
        String path = request.path();
        if (path.equals("/version")) {
            ObjectNode version = Json.object();
            version.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.4");
            return version;
        }
        String contentType = request.header("content-type");
        ObjectNode body;
        if (request.body().length == 0) {
            body = Json.object();
        } else if (contentType != null && contentType.startsWith(KubeProtobuf.MEDIA_TYPE)) {
            // review specs kubectl sends as protobuf: only the namespace of a rules review matters here
            body = Json.object();
            body.putObject("spec").put("namespace", ProtoFields.string(request.body(), 2, 1));
        } else {
            body = (ObjectNode) Json.parse(request.body());
        }
        if (path.endsWith("/selfsubjectreviews")) {
            return AccessReviews.selfSubjectReview(body, user);
        }
        if (path.endsWith("/selfsubjectrulesreviews")) {
            return reviews.selfSubjectRulesReview(body, user);
        }
        if (path.endsWith("/selfsubjectaccessreviews")) {
            return reviews.selfSubjectAccessReview(body, user);
        }
        throw StatusException.notFound("", "", null);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }
}
