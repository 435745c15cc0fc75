package io.kube4j.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream sent as WebSocket messages, one per chunk, as upstream serves watches to clients that ask for a
 * WebSocket (the fabric8 client does). The handshake happens only when the stream starts, so errors before
 * it are still plain HTTP answers.
 */
final class WebSocketStream implements ResponseSink.StreamWriter {

    private static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;

    private final Channel channel;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private final CoalescingOutbound outbound;

    private WebSocketStream(Channel channel) {
        this.channel = channel;
        this.outbound = new CoalescingOutbound(channel, MAX_PENDING_BYTES, WebSocketStream::writeFrames);
        channel.closeFuture().addListener(f -> runCloseActions());
    }

    static WebSocketStream open(Channel channel, FullHttpRequest request) {
        String location = "ws://" + request.headers().get("Host", "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, "*", true,
                16 * 1024 * 1024).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                    .addListener(ChannelFutureListener.CLOSE);
            throw new IllegalStateException("unsupported WebSocket version");
        }
        // The handshake rewires the pipeline; frames may only be written once it is done.
        handshaker.handshake(channel, request).syncUninterruptibly();
        return new WebSocketStream(channel);
    }

    @Override
    public boolean write(byte[] chunk) {
        if (!isOpen()) {
            return false;
        }
        return outbound.offer(chunk);
    }

    @Override
    public boolean writeParts(byte[]... parts) {
        if (!isOpen()) {
            return false;
        }
        return outbound.offer(parts);
    }

    @Override
    public boolean writeShared(SharedBytes line) {
        return isOpen() && outbound.offer(line);
    }

    /**
     * One message per event, as clients expect; the parts are wrapped, not copied (they are never modified), and a
     * line shared with other streams is sent from its one native copy.
     */
    private static ChannelFuture writeFrames(Channel channel, List<Object> batch) {
        ChannelFuture last = null;
        for (Object message : batch) {
            last = channel.write(new TextWebSocketFrame(message instanceof SharedBytes shared ? shared.rawView()
                    : Unpooled.wrappedBuffer((byte[][]) message)));
        }
        return last;
    }

    @Override
    public void end() {
        if (ended.compareAndSet(false, true)) {
            // queued behind the messages not yet written, so the close frame never overtakes them
            outbound.end(ch -> {
                if (ch.isActive()) {
                    ch.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
                }
            });
            runCloseActions();
        }
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && channel.isActive();
    }

    @Override
    public void onClose(Runnable action) {
        closeActions.add(action);
        if (!isOpen()) {
            runCloseActions();
        }
    }

    private void runCloseActions() {
        for (Runnable action : closeActions) {
            if (closeActions.remove(action)) {
                action.run();
            }
        }
    }
}
