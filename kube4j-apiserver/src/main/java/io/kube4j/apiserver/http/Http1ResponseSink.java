package io.kube4j.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one response as HTTP/1.1 objects to a Netty channel: an HTTP/1.1 connection, or an HTTP/2 stream whose
 * codec turns them into frames (and drops the connection-specific headers). Tells the connection when the
 * response is complete.
 */
final class Http1ResponseSink implements ResponseSink {

    /** Upstream gzips responses only from this size on: smaller ones cost more to compress than to send. */
    static final int GZIP_THRESHOLD_BYTES = 128 * 1024;
    /** A watch whose client has this much unsent is cut off rather than buffered without bound. */
    private static final long MAX_PENDING_STREAM_BYTES = 64L * 1024 * 1024;

    private final Channel channel;
    private final boolean keepAlive;
    private final boolean acceptsGzip;
    private final Runnable onComplete;
    private final AtomicBoolean responded = new AtomicBoolean();
    /** The request headers if the client asked for a WebSocket: streams are then sent as WebSocket messages. */
    private final FullHttpRequest webSocketRequest;
    /** False on an HTTP/2 stream: the connection is shared by other streams and cannot be handed over. */
    private final boolean canTakeOver;

    Http1ResponseSink(Channel channel, boolean keepAlive, boolean acceptsGzip, Runnable onComplete) {
        this(channel, keepAlive, acceptsGzip, onComplete, null, true);
    }

    Http1ResponseSink(Channel channel, boolean keepAlive, boolean acceptsGzip, Runnable onComplete,
                      FullHttpRequest webSocketRequest, boolean canTakeOver) {
        this.canTakeOver = canTakeOver;
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.acceptsGzip = acceptsGzip;
        this.onComplete = onComplete;
        this.webSocketRequest = webSocketRequest;
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        if (!responded.compareAndSet(false, true)) {
            throw new IllegalStateException("response already sent");
        }
        boolean gzip = acceptsGzip && body.length >= GZIP_THRESHOLD_BYTES;
        byte[] payload = gzip ? gzip(body) : body;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(payload));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.forEach((name, value) -> response.headers().set(name, value));
        if (gzip) {
            response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, payload.length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        finish(channel.writeAndFlush(response));
    }

    @Override
    public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
        if (!responded.compareAndSet(false, true)) {
            throw new IllegalStateException("response already sent");
        }
        if (webSocketRequest != null) {
            return WebSocketStream.open(channel, webSocketRequest);
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        headers.forEach((name, value) -> response.headers().set(name, value));
        channel.writeAndFlush(response);
        return new ChunkedStream();
    }

    @Override
    public java.util.Optional<RawConnection> rawConnection() {
        return canTakeOver ? java.util.Optional.of(new RawConnection(channel, responded)) : java.util.Optional.empty();
    }

    private void finish(io.netty.channel.ChannelFuture lastWrite) {
        if (keepAlive) {
            lastWrite.addListener(f -> onComplete.run());
        } else {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private final class ChunkedStream implements StreamWriter {
        private final AtomicBoolean ended = new AtomicBoolean();
        private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
        /**
         * Bytes written but not yet handed to the socket. Counted here rather than read from the channel's outbound
         * buffer, which HTTP/2 stream channels do not have: their data waits in the flow controller instead.
         */
        private final AtomicLong unsent = new AtomicLong();

        ChunkedStream() {
            channel.closeFuture().addListener(f -> runCloseActions());
        }

        @Override
        public boolean write(byte[] chunk) {
            if (!isOpen()) {
                return false;
            }
            if (unsent.get() > MAX_PENDING_STREAM_BYTES) {
                return false;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(chunk);
            unsent.addAndGet(chunk.length);
            channel.writeAndFlush(new DefaultHttpContent(buf)).addListener(f -> unsent.addAndGet(-chunk.length));
            return true;
        }

        @Override
        public void end() {
            if (ended.compareAndSet(false, true)) {
                if (channel.isActive()) {
                    finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
                }
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
}
