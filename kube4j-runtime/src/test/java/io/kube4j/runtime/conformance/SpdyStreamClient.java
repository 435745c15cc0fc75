package io.kube4j.runtime.conformance;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The client side of Kubernetes' SPDY/3.1 streaming, as kubectl speaks it: an HTTP upgrade naming
 * the stream protocol, then one client-opened stream per purpose, named by its headers.
 */
public final class SpdyStreamClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final CompletableFuture<FullHttpResponse> upgrade = new CompletableFuture<>();
    private final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> finished = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> replied = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final int status;
    private final String negotiated;
    private final String body;

    public SpdyStreamClient(String url, String... protocols) throws Exception {
        URI uri = URI.create(url);
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536), new UpgradeResponse());
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        channel.closeFuture().addListener(f -> closed.complete(null));
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort());
        request.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
        request.headers().set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        for (String protocol : protocols) {
            request.headers().add("X-Stream-Protocol-Version", protocol);
        }
        channel.writeAndFlush(request);
        FullHttpResponse response = upgrade.get(20, TimeUnit.SECONDS);
        status = response.status().code();
        negotiated = response.headers().get("X-Stream-Protocol-Version");
        body = response.content().toString(StandardCharsets.UTF_8);
        response.release();
    }

    /** Switches the pipeline to SPDY as soon as the server agrees. */
    private final class UpgradeResponse extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.status().code() == 101) {
                ctx.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                ctx.pipeline().addLast(new SpdySessionHandler(SpdyVersion.SPDY_3_1, false));
                ctx.pipeline().addLast(new Frames());
                ctx.pipeline().remove(this);
                ctx.pipeline().remove(HttpObjectAggregator.class);
                ctx.pipeline().remove(HttpClientCodec.class);
            }
            upgrade.complete(response.retainedDuplicate());
        }
    }

    private final class Frames extends SimpleChannelInboundHandler<SpdyFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
            if (frame instanceof SpdyDataFrame data) {
                ByteBuf content = data.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                ByteArrayOutputStream out = received.computeIfAbsent(data.streamId(), k -> new ByteArrayOutputStream());
                synchronized (out) {
                    out.writeBytes(bytes);
                }
                if (data.isLast()) {
                    finished.put(data.streamId(), true);
                }
            } else if (frame instanceof SpdySynReplyFrame reply) {
                replied.put(reply.streamId(), true);
            } else if (frame instanceof SpdyRstStreamFrame rst) {
                finished.put(rst.streamId(), true);
            }
        }
    }

    public int status() {
        return status;
    }

    /** The protocol the server chose, or null when the upgrade failed. */
    public String protocol() {
        return negotiated;
    }

    public String body() {
        return body;
    }

    /** Opens a stream with the headers (names in lower case, as SPDY wants them); returns its ID. */
    public int open(Map<String, String> headers) {
        int id = nextStreamId.getAndAdd(2);
        SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        headers.forEach((name, value) -> syn.headers().set(name, value));
        channel.writeAndFlush(syn).syncUninterruptibly();
        return id;
    }

    public int open(String streamType) {
        return open(Map.of("streamtype", streamType));
    }

    public void send(int streamId, byte[] data) {
        channel.writeAndFlush(new DefaultSpdyDataFrame(streamId, Unpooled.wrappedBuffer(data))).syncUninterruptibly();
    }

    public void send(int streamId, String text) {
        send(streamId, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Half-closes the stream: no more data from this side. */
    public void finish(int streamId) {
        channel.writeAndFlush(new DefaultSpdyDataFrame(streamId).setLast(true)).syncUninterruptibly();
    }

    public String text(int streamId) {
        ByteArrayOutputStream out = received.get(streamId);
        if (out == null) {
            return "";
        }
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Whether the server answered the stream's SYN_STREAM. */
    public boolean replied(int streamId) {
        return replied.containsKey(streamId);
    }

    public boolean finished(int streamId) {
        return finished.getOrDefault(streamId, false);
    }

    public void awaitFinished(int streamId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> finished(streamId) || closed.isDone());
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
