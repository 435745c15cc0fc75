package io.kube4j.apiserver.proxy;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.json.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Proxies a protocol switch (exec, attach, port-forward, and any upgrade through pods/proxy, services/proxy or
 * nodes/proxy) to a backend, as upstream's upgrade-aware proxy does: sends the request to the backend, and only
 * once the backend has switched protocols (101) takes the client's connection over, passes the 101 on and splices
 * the raw bytes both ways until either side closes. Any other answer becomes a Status for the client (the HTTP
 * proxies pass an error answer back as it is), on a connection that stays plain HTTP.
 */
public final class UpgradeProxy {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeProxy.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the backend may take to answer the upgrade (the runtime starts the process first). */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    /** How the client speaks once switched. */
    public sealed interface ClientSide {
        /** The same protocol as the backend: bytes pass unchanged, the backend's 101 included. */
        record Same() implements ClientSide {
        }

        /** A WebSocket carrying the backend's byte stream in binary messages (kubectl's SPDY tunnel). */
        record WebSocketTunnel(String key, String subprotocol) implements ClientSide {
        }
    }

    public static final ClientSide SAME = new ClientSide.Same();

    private UpgradeProxy() {
    }

    /**
     * Runs on a worker thread; returns once the connections are spliced (or throws the Status to answer).
     *
     * @param backendName how error messages name the backend, e.g. {@code "the kubelet of node n1"}
     */
    public static void proxy(BackendRequest request, RawConnection client, ClientSide clientSide,
                             String backendName) {
        proxy(request, client, clientSide, backendName, KubeletTransport.PLAIN);
    }

    /** As {@link #proxy(BackendRequest, RawConnection, ClientSide, String)}, over TLS when the transport is secure. */
    public static void proxy(BackendRequest request, RawConnection client, ClientSide clientSide,
                             String backendName, KubeletTransport transport) {
        ResponseHeadReader.Answer refused = switchOrAnswer(request, client, clientSide, backendName, transport);
        if (refused != null) {
            throw refusal(refused);
        }
    }

    /**
     * As upstream's {@code httpstream.IsUpgradeRequest}: a Connection header naming "upgrade", and an Upgrade
     * header.
     */
    public static boolean isUpgradeRequest(io.kube4j.apiserver.http.ApiRequest request) {
        String connection = request.header("connection");
        if (connection == null || request.header("upgrade") == null) {
            return false;
        }
        for (String token : connection.split(",")) {
            if (token.trim().equalsIgnoreCase("upgrade")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splices the connections if the backend switches protocols, and returns null; otherwise returns the backend's
     * answer (its body read up to a limit) for the caller to pass on, the client's connection untouched.
     */
    static ResponseHeadReader.Answer switchOrAnswer(BackendRequest request, RawConnection client,
                                                    ClientSide clientSide, String backendName,
                                                    KubeletTransport transport) {
        CompletableFuture<Void> spliced = new CompletableFuture<>();
        ResponseHeadReader reader = new ResponseHeadReader((backend, head) -> {
            try {
                switchOver(backend, head, client, clientSide);
                spliced.complete(null);
            } catch (RuntimeException e) {
                backend.close();
                spliced.completeExceptionally(e);
            }
        });
        ChannelFuture connect = new Bootstrap().group(client.eventLoop()).channel(client.socketChannelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        SslHandler tls = transport.newHandler(channel.alloc(), request.host(), request.port());
                        if (tls != null) {
                            channel.pipeline().addLast(tls);
                        }
                        channel.pipeline().addLast(reader);
                    }
                })
                .connect(request.host(), request.port());
        if (!connect.awaitUninterruptibly(CONNECT_TIMEOUT.toMillis() + 1000) || !connect.isSuccess()) {
            connect.channel().close();
            Throwable cause = connect.cause();
            throw StatusException.internalError("error dialing backend: " + backendName + " at " + request.host()
                    + ":" + request.port() + ": " + (cause == null ? "timed out" : cause.getMessage()));
        }
        connect.channel().writeAndFlush(Unpooled.wrappedBuffer(request.head(), request.body()));
        ResponseHeadReader.Answer answer;
        try {
            answer = reader.answer().get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connect.channel().close();
            throw StatusException.timeout(backendName + " did not answer within " + ANSWER_TIMEOUT.toSeconds() + "s");
        } catch (ExecutionException e) {
            connect.channel().close();
            throw StatusException.internalError("error dialing backend: " + backendName + ": "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connect.channel().close();
            throw StatusException.serviceUnavailable("interrupted");
        }
        if (answer.head().status() != 101) {
            return answer;
        }
        try {
            spliced.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("splice to {} failed", backendName, e);
            connect.channel().close();
            // heard only if the client's connection was not taken over yet
            throw StatusException.internalError("cannot relay to " + backendName + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static void switchOver(Channel backend, ResponseHead head, RawConnection client, ClientSide clientSide) {
        boolean tunnel = clientSide instanceof ClientSide.WebSocketTunnel;
        ChannelHandler clientHandler = tunnel ? WebSocketTunnel.clientSide(backend) : new Splice(backend);
        Channel clientChannel = client.takeOver(clientHandler).join();
        if (clientSide instanceof ClientSide.WebSocketTunnel ws) {
            clientChannel.writeAndFlush(WebSocketTunnel.handshakeResponse(ws.key(), ws.subprotocol()));
            backend.pipeline().addLast(new Splice(clientChannel, WebSocketTunnel::wrap, WebSocketTunnel::closeFrame));
        } else {
            clientChannel.writeAndFlush(Unpooled.wrappedBuffer(head.raw()));
            backend.pipeline().addLast(new Splice(clientChannel));
        }
        // what the backend sent after its 101 now flows to the client, behind the 101
        backend.pipeline().remove(ResponseHeadReader.class);
        if (!clientChannel.isActive()) {
            backend.close();
            return;
        }
        backend.config().setAutoRead(true);
        clientChannel.config().setAutoRead(true);
    }

    /** The backend's refusal as the client's Status: its own message, 400 for what the request asked wrongly. */
    private static StatusException refusal(ResponseHeadReader.Answer answer) {
        String text = new String(answer.body(), StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonNode status = Json.parse(answer.body());
                if (status.path("message").isString()) {
                    text = status.path("message").asString();
                }
            } catch (RuntimeException notJson) {
                // keep the text as it came
            }
        }
        if (text.isEmpty()) {
            text = "the backend answered " + answer.head().status() + " to the upgrade request";
        }
        int status = answer.head().status();
        return status >= 400 && status < 500 ? StatusException.badRequest(text) : StatusException.internalError(text);
    }
}
