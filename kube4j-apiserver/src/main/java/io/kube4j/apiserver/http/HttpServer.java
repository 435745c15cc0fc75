package io.kube4j.apiserver.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: accepts connections, speaks HTTP/1.1, and HTTP/2 where TLS negotiates it through ALPN, and
 * hands each request to the {@link HttpHandler} on a worker pool. Plain connections are HTTP/1.1 only: like
 * upstream, no cleartext h2c.
 * <p>
 * One server may listen on several addresses ({@link #listenAlso}): every listener shares its event loops, worker
 * pool and handler, and {@link #close} stops them all once.
 */
public final class HttpServer implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final ServerBootstrap bootstrap;
    /** The first is the one {@link #start} bound; the rest were added by {@link #listenAlso}. */
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private final NegotiatedProtocols protocols;

    private HttpServer(EventLoopGroup boss, EventLoopGroup io, ExecutorService workers, ServerBootstrap bootstrap,
                       Channel serverChannel, NegotiatedProtocols protocols) {
        this.protocols = protocols;
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.bootstrap = bootstrap;
        this.serverChannels.add(serverChannel);
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
            Channel channel = bind(bootstrap, bind);
            return new HttpServer(boss, io, workers, bootstrap, channel, protocols);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Binds {@code address}, failing with a message that names it: Netty rethrows the bare BindException ("Address
     * already in use"), which callers would otherwise report as some other I/O failure.
     */
    private static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) {
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (bound.isSuccess()) {
            return bound.channel();
        }
        Throwable cause = bound.cause();
        String message = "cannot listen on " + address.getHostString() + ":" + address.getPort() + ": "
                + cause.getMessage();
        throw cause instanceof java.io.IOException io ? new UncheckedIOException(message, io)
                : new IllegalStateException(message, cause);
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

    /**
     * Also accepts connections on {@code address}, served exactly like those of the first address (same TLS, handler
     * and pools). Returns the port bound there (useful when {@code address} asks for port 0).
     */
    public int listenAlso(InetSocketAddress address) {
        Channel channel = bind(bootstrap, address);
        serverChannels.add(channel);
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The port of the address given to {@link #start}. */
    public int port() {
        return ((InetSocketAddress) serverChannels.get(0).localAddress()).getPort();
    }

    @Override
    public void close() {
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }
}
