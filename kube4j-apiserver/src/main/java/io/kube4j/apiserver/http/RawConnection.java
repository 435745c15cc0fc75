package io.kube4j.apiserver.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP/1.1 connection under a request, for handlers that answer by switching protocols (exec, attach,
 * port-forward): once taken over, the HTTP codecs are gone and the handler owns every byte both ways.
 */
public final class RawConnection {

    private final Channel channel;
    private final AtomicBoolean responded;
    private final Runnable onSwitched;
    private final Runnable onEnded;

    /** @param responded the response sink's flag: a taken-over connection has been answered, by its new owner */
    RawConnection(Channel channel, AtomicBoolean responded) {
        this(channel, responded, () -> { }, () -> { });
    }

    private RawConnection(Channel channel, AtomicBoolean responded, Runnable onSwitched, Runnable onEnded) {
        this.channel = channel;
        this.responded = responded;
        this.onSwitched = onSwitched;
        this.onEnded = onEnded;
    }

    /**
     * The same connection, watched: once it is taken over, {@code switched} runs (the protocol switch is the
     * request's answer), and {@code ended} runs when the switched connection closes (the request is over). Both run
     * on the event loop, after what earlier observers asked for. How the metrics and the audit log see a request
     * that never gets an HTTP response.
     */
    public RawConnection observed(Runnable switched, Runnable ended) {
        Runnable before = onSwitched;
        Runnable beforeEnded = onEnded;
        return new RawConnection(channel, responded, () -> {
            before.run();
            switched.run();
        }, () -> {
            beforeEnded.run();
            ended.run();
        });
    }

    /** The connection's event loop: a handler that opens a second connection can keep both on one thread. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** The connection's own socket channel type, the one a second connection on {@link #eventLoop()} must use. */
    public Class<? extends Channel> socketChannelType() {
        return channel.getClass();
    }

    /**
     * Removes every handler but TLS and puts {@code owner} in their place, reading switched off so the owner
     * decides when bytes flow ({@code channel.config().setAutoRead(true)}). Bytes the HTTP decoder had already
     * read past the request reach {@code owner} first. The owner must close the channel when it is done. Called on
     * the event loop, the swap is done when this returns.
     *
     * @throws IllegalStateException if a response was already sent
     */
    public CompletableFuture<Channel> takeOver(ChannelHandler owner) {
        if (!responded.compareAndSet(false, true)) {
            throw new IllegalStateException("response already sent");
        }
        CompletableFuture<Channel> done = new CompletableFuture<>();
        Runnable swap = () -> {
            try {
                channel.config().setAutoRead(false);
                ChannelPipeline pipeline = channel.pipeline();
                List<String> http = new ArrayList<>();
                for (Map.Entry<String, ChannelHandler> entry : pipeline) {
                    if (!(entry.getValue() instanceof SslHandler)) {
                        http.add(entry.getKey());
                    }
                }
                pipeline.addLast("raw", owner);
                // Later handlers go first, so that what the decoder still buffers flows straight into the owner.
                for (int i = http.size() - 1; i >= 0; i--) {
                    if (pipeline.get(http.get(i)) != null) {
                        pipeline.remove(http.get(i));
                    }
                }
                onSwitched.run();
                channel.closeFuture().addListener(f -> onEnded.run());
                done.complete(channel);
            } catch (RuntimeException e) {
                channel.close();
                done.completeExceptionally(e);
            }
        };
        if (channel.eventLoop().inEventLoop()) {
            swap.run();
        } else {
            channel.eventLoop().execute(swap);
        }
        return done;
    }
}
