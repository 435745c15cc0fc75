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
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: accepts connections, speaks HTTP/1.1, and HTTP/2 where TLS negotiates it through ALPN, and
 * hands each request to the {@link HttpHandler} on a worker pool. Plain connections are HTTP/1.1 only: like
 * upstream, no cleartext h2c.
 */
public final class HttpServer implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final Channel serverChannel;
    private final NegotiatedProtocols protocols;

    private HttpServer(EventLoopGroup boss, EventLoopGroup io, ExecutorService workers, Channel serverChannel,
                       NegotiatedProtocols protocols) {
        this.protocols = protocols;
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds and starts serving; {@code sslContext} may be null for plain HTTP. HTTP/2 is served when the context
     * offers h2 in ALPN ({@code TlsContexts.server(pki, true)}); clients that negotiate http/1.1 or nothing, as
     * upgrading clients (exec, attach, port-forward, WebSockets) do, get HTTP/1.1.
     */
    public static HttpServer start(InetSocketAddress bind, HttpHandler handler, ExecutorService workers,
                                   int maxBodyBytes, SslContext sslContext) {
        ProtocolPipelines pipelines = new ProtocolPipelines(handler, workers, maxBodyBytes);
        NegotiatedProtocols protocols = new NegotiatedProtocols();
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
                                if (offersHttp2(sslContext)) {
                                    p.addLast("alpn", new ProtocolNegotiator(pipelines, protocols));
                                    return;
                                }
                            }
                            protocols.record(ApplicationProtocolNames.HTTP_1_1);
                            pipelines.http1(p);
                        }
                    });
            Channel channel = bootstrap.bind(bind).syncUninterruptibly().channel();
            return new HttpServer(boss, io, workers, channel, protocols);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** How many connections settled on each protocol ("h2", "http/1.1") since the start. */
    public java.util.Map<String, Long> negotiatedProtocols() {
        return protocols.counts();
    }

    /** h2 is served only where the TLS context offers it in ALPN: the context decides, callers need no flag. */
    private static boolean offersHttp2(SslContext sslContext) {
        return sslContext.applicationProtocolNegotiator() != null
                && sslContext.applicationProtocolNegotiator().protocols().contains(ApplicationProtocolNames.HTTP_2);
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
