package io.kube4j.apiserver.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: accepts connections, speaks HTTP/1.1 and hands each request to the {@link HttpHandler} on
 * a worker pool. With an {@link SslContext} the pipeline starts with TLS; HTTP/2 over ALPN plugs in there.
 */
public final class HttpServer implements AutoCloseable {

    private static final int MAX_INITIAL_LINE = 64 * 1024;
    private static final int MAX_HEADER_SIZE = 64 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final Channel serverChannel;

    private HttpServer(EventLoopGroup boss, EventLoopGroup io, ExecutorService workers, Channel serverChannel) {
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    /** Binds and starts serving; {@code sslContext} may be null for plain HTTP. */
    public static HttpServer start(InetSocketAddress bind, HttpHandler handler, ExecutorService workers,
                                   int maxBodyBytes, SslContext sslContext) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (sslContext != null) {
                                p.addLast("tls", sslContext.newHandler(ch.alloc()));
                            }
                            p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192));
                            p.addLast("aggregate", new LimitedAggregator(maxBodyBytes));
                            p.addLast("api", new HttpConnectionHandler(handler, workers));
                        }
                    });
            Channel channel = bootstrap.bind(bind).syncUninterruptibly().channel();
            return new HttpServer(boss, io, workers, channel);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }
}
