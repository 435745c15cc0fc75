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

    /** @param responded the response sink's flag: a taken-over connection has been answered, by its new owner */
    RawConnection(Channel channel, AtomicBoolean responded) {
        this.channel = channel;
        this.responded = responded;
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
