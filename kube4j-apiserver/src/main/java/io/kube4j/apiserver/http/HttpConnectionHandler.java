package io.kube4j.apiserver.http;

import io.kube4j.api.status.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kube4j.apiserver.pki.TlsContexts;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;

import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One HTTP/1.1 connection, or one HTTP/2 stream: turns each request into an {@link ApiRequest} and runs the
 * handler on the worker pool, or on the event loop itself for a request the handler serves inline (always, or while
 * no other request of the loop is in progress - not an HTTP/2 stream, whose connection's other streams would wait).
 * Requests of one
 * connection are answered one after the other, in order, even if a client pipelines (an HTTP/2 stream carries a
 * single request). Only the event loop touches the queue. After an upgrade request that may be followed by the new
 * protocol's bytes, the connection is read as HTTP no more (see {@link #holdBytesAfterUpgrade}).
 */
final class HttpConnectionHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionHandler.class);

    private final HttpHandler handler;
    private final Executor workers;
    /** An HTTP/2 stream cannot switch protocols: no WebSocket, no taken-over connection (upgrades need HTTP/1.1). */
    private final boolean http2Stream;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;
    /**
     * What the client sent after an upgrade request, held for the handler that may switch protocols: the switched
     * protocol's first bytes, not HTTP. Null while no upgrade request is pending.
     */
    private CompositeByteBuf afterUpgrade;

    private record Pending(ApiRequest request, boolean keepAlive, boolean gzip, FullHttpRequest webSocket) {
    }

    HttpConnectionHandler(HttpHandler handler, Executor workers, boolean http2Stream) {
        this.handler = handler;
        this.workers = workers;
        this.http2Stream = http2Stream;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (!msg.decoderResult().isSuccess()) {
            Http1ResponseSink sink = new Http1ResponseSink(ctx.channel(), false, false, () -> { }, null, !http2Stream);
            StatusWriter.write(sink, StatusException.badRequest("malformed HTTP request: " + msg.decoderResult().cause()));
            return;
        }
        FullHttpRequest webSocket = !http2Stream && isWebSocketUpgrade(msg) ? new DefaultFullHttpRequest(msg.protocolVersion(),
                msg.method(), msg.uri(), Unpooled.EMPTY_BUFFER, msg.headers().copy(),
                msg.trailingHeaders().copy()) : null;
        boolean holdRest = !http2Stream && afterUpgrade == null && mayBeFollowedBySwitchedBytes(msg);
        // a connection whose bytes after the request were not HTTP cannot serve another request
        boolean keepAlive = !holdRest && HttpUtil.isKeepAlive(msg);
        queue.add(new Pending(toApiRequest(msg, peerCertificates(ctx), remoteAddress(ctx)), keepAlive, acceptsGzip(msg), webSocket));
        if (holdRest) {
            holdBytesAfterUpgrade(ctx);
        }
        dispatchNext(ctx);
    }

    /**
     * An upgrade request (upstream's {@code httpstream.IsUpgradeRequest}: Connection names "upgrade", and there is
     * an Upgrade header) to a protocol whose client may start speaking it before the answer, as a proxied client
     * may. Not a WebSocket, whose client must wait for the 101 (RFC 6455 section 4.1), nor HTTP/2 alone, which this
     * server declines by answering in HTTP/1.1 and whose client waits as well: those stay plain HTTP requests.
     */
    private static boolean mayBeFollowedBySwitchedBytes(FullHttpRequest msg) {
        String upgrade = msg.headers().get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !msg.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE,
                true)) {
            return false;
        }
        for (String protocol : upgrade.split(",")) {
            String name = protocol.trim();
            if (!name.isEmpty() && !name.equalsIgnoreCase("websocket") && !name.equalsIgnoreCase("h2c")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops reading the connection as HTTP: the request decoder goes (what it had read past the request comes
     * here, as bytes) and reading pauses, as Go's server reads no further while a handler may hijack. What was read
     * goes to the connection's new owner first if the handler takes the connection over ({@link RawConnection});
     * otherwise the answer closes the connection. Runs inside the decoder's own read, which ends with its removal.
     */
    private void holdBytesAfterUpgrade(ChannelHandlerContext ctx) {
        afterUpgrade = ctx.alloc().compositeBuffer();
        ctx.channel().config().setAutoRead(false);
        HttpServerCodec codec = ctx.pipeline().get(HttpServerCodec.class);
        if (codec != null) {
            codec.removeInboundHandler();
        }
    }

    /** The bytes held after an upgrade request go to whoever took the connection over, ahead of any later read. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        endRequest();
        CompositeByteBuf held = afterUpgrade;
        afterUpgrade = null;
        if (held != null) {
            if (held.isReadable() && ctx.channel().isActive()) {
                ctx.fireChannelRead(held);
                ctx.fireChannelReadComplete();
            } else {
                held.release();
            }
        }
        super.handlerRemoved(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endRequest();
        if (afterUpgrade != null) {
            afterUpgrade.release();
            afterUpgrade = null;
        }
        super.channelInactive(ctx);
    }

    private void dispatchNext(ChannelHandlerContext ctx) {
        if (busy || queue.isEmpty()) {
            return;
        }
        Pending next = queue.poll();
        boolean inline = next.webSocket() == null && (handler.servesInline(next.request()) || (!http2Stream
                && QuietLoops.quiet() && handler.servesOnQuietLoop(next.request())));
        busy = true;
        QuietLoops.started();
        Http1ResponseSink sink = new Http1ResponseSink(ctx.channel(), next.keepAlive(), next.gzip(),
                () -> ctx.executor().execute(() -> {
                    endRequest();
                    dispatchNext(ctx);
                }), next.webSocket(), !http2Stream, next.request().method().equals("HEAD"));
        if (inline) {
            run(next.request(), sink);
            return;
        }
        try {
            workers.execute(() -> run(next.request(), sink));
        } catch (RejectedExecutionException e) {
            StatusWriter.write(sink, StatusException.serviceUnavailable("the server is shutting down"));
        }
    }

    /**
     * The request in progress ended: its answer is out, or the connection closed or was taken over before it was
     * (whichever comes first counts; on the event loop).
     */
    private void endRequest() {
        if (busy) {
            busy = false;
            QuietLoops.ended();
        }
    }

    private void run(ApiRequest request, Http1ResponseSink sink) {
        try {
            handler.handle(request, sink);
        } catch (StatusException e) {
            StatusWriter.writeIfUnanswered(sink, e);
        } catch (RuntimeException | Error e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            StatusWriter.writeIfUnanswered(sink, StatusException.internalError(e));
        }
    }

    /** After a WebSocket handshake the client only sends frames: answer pings and closes, drop the rest. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf bytes) {
            // only while an upgrade request is pending does anything but HTTP objects and frames get here
            if (afterUpgrade != null) {
                afterUpgrade.addComponent(true, bytes);
            } else {
                bytes.release();
            }
            return;
        }
        if (msg instanceof WebSocketFrame frame) {
            try {
                if (frame instanceof CloseWebSocketFrame) {
                    ctx.close();
                } else if (frame instanceof PingWebSocketFrame) {
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                }
            } finally {
                frame.release();
            }
            return;
        }
        super.channelRead(ctx, msg);
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest msg) {
        String upgrade = msg.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private static boolean acceptsGzip(FullHttpRequest msg) {
        // several Accept-Encoding lines are one list (RFC 9110 section 5.3)
        List<String> lines = msg.headers().getAll(HttpHeaderNames.ACCEPT_ENCODING);
        return AcceptEncoding.acceptsGzip(lines.isEmpty() ? null : String.join(",", lines));
    }

    /** The verified client chain of a TLS connection; empty over plain HTTP. HTTP/2 streams share their connection's. */
    private static List<X509Certificate> peerCertificates(ChannelHandlerContext ctx) {
        io.netty.channel.Channel connection = ctx.channel() instanceof Http2StreamChannel
                ? ctx.channel().parent() : ctx.channel();
        SslHandler tls = connection.pipeline().get(SslHandler.class);
        return tls == null ? List.of() : TlsContexts.peerCertificates(tls);
    }

    private static String remoteAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress address
                && address.getAddress() != null ? address.getAddress().getHostAddress() : "";
    }

    private static ApiRequest toApiRequest(FullHttpRequest msg, List<X509Certificate> clientCertificates,
                                           String remoteAddress) {
        QueryStringDecoder decoder = new QueryStringDecoder(msg.uri());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : msg.headers()) {
            headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + "," + b);
        }
        byte[] body = ByteBufUtil.getBytes(msg.content());
        return new ApiRequest(msg.method().name(), decoder.path(), decoder.parameters(), headers, body,
                clientCertificates, remoteAddress);
    }
}
