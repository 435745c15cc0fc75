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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one response as HTTP/1.1 objects to a Netty channel: an HTTP/1.1 connection, or an HTTP/2 stream whose
 * codec turns them into frames (and drops the connection-specific headers). Tells the connection when the
 * response is complete.
 */
final class Http1ResponseSink implements ResponseSink {

    /**
     * Upstream gzips only responses larger than this (defaultGzipThresholdBytes in its response writers): smaller
     * ones cost more to compress than to send.
     */
    static final int GZIP_THRESHOLD_BYTES = 128 * 1024;
    /** A watch whose client has this much unsent is cut off rather than buffered without bound. */
    private static final long MAX_PENDING_STREAM_BYTES = 64L * 1024 * 1024;
    /** Lines written together go out as chunks of at most this size, so a batch never needs one huge buffer. */
    static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final Channel channel;
    private final boolean keepAlive;
    private final boolean acceptsGzip;
    private final Runnable onComplete;
    private final AtomicBoolean responded = new AtomicBoolean();
    /** The request headers if the client asked for a WebSocket: streams are then sent as WebSocket messages. */
    private final FullHttpRequest webSocketRequest;
    /** False on an HTTP/2 stream: the connection is shared by other streams and cannot be handed over. */
    private final boolean canTakeOver;
    /** The request was HEAD: the response is the GET's status and headers, without its body. */
    private final boolean head;

    Http1ResponseSink(Channel channel, boolean keepAlive, boolean acceptsGzip, Runnable onComplete) {
        this(channel, keepAlive, acceptsGzip, onComplete, null, true);
    }

    Http1ResponseSink(Channel channel, boolean keepAlive, boolean acceptsGzip, Runnable onComplete,
                      FullHttpRequest webSocketRequest, boolean canTakeOver) {
        this(channel, keepAlive, acceptsGzip, onComplete, webSocketRequest, canTakeOver, false);
    }

    Http1ResponseSink(Channel channel, boolean keepAlive, boolean acceptsGzip, Runnable onComplete,
                      FullHttpRequest webSocketRequest, boolean canTakeOver, boolean head) {
        this.head = head;
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
        sendWhole(status, contentType, body, headers);
    }

    private void sendWhole(int status, String contentType, byte[] body, Map<String, String> headers) {
        boolean gzip = acceptsGzip && body.length > GZIP_THRESHOLD_BYTES;
        sendWhole(status, contentType, Unpooled.wrappedBuffer(gzip ? gzip(body) : body), gzip,
                headers.entrySet());
    }

    /** Sends {@code payload} (which it then owns) as the whole body, {@code gzip} if it is compressed. */
    private void sendWhole(int status, String contentType, ByteBuf payload, boolean gzip,
                           Collection<? extends Map.Entry<String, String>> headers) {
        int length = payload.readableBytes();
        if (head) {
            payload.release();
        }
        // HEAD: the GET's headers, Content-Length included, and no body (HTTP/2 would otherwise send DATA frames)
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), head ? Unpooled.EMPTY_BUFFER : payload);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        putLines(response.headers(), headers);
        if (gzip) {
            response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (status != 304) {
            // a 304 may carry only the length of the 200 it stands for (RFC 9110 section 8.6), so none
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        }
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
        if (head) {
            // the stream's status and headers end the response: a HEAD request gets no events
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            headers.forEach((name, value) -> response.headers().set(name, value));
            finish(channel.writeAndFlush(response));
            return new EndedStream();
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        headers.forEach((name, value) -> response.headers().set(name, value));
        channel.writeAndFlush(response);
        return new ChunkedStream();
    }

    /**
     * Bodies up to the gzip threshold are sent whole, exactly as {@link #send} sends them; a larger one goes out
     * chunked as it is written (gzip-compressed on the way if the client accepts it), so that neither the whole
     * body nor its compressed copy is ever held in memory.
     */
    @Override
    public BodyWriter body(int status, String contentType, Map<String, String> headers) {
        return body(status, contentType, List.copyOf(headers.entrySet()));
    }

    /** Each line its own header line; a body the backend encoded already is not compressed again. */
    @Override
    public BodyWriter body(int status, String contentType, List<Map.Entry<String, String>> headers) {
        if (!responded.compareAndSet(false, true)) {
            throw new IllegalStateException("response already sent");
        }
        boolean gzip = acceptsGzip && headers.stream()
                .noneMatch(h -> h.getKey().equalsIgnoreCase(HttpHeaderNames.CONTENT_ENCODING.toString()));
        return new Http1BodyWriter(channel, GZIP_THRESHOLD_BYTES,
                // at most the threshold, so never compressed (sendWhole's own rule for byte arrays)
                whole -> sendWhole(status, contentType, whole, false, headers),
                () -> {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(status));
                    if (contentType != null) {
                        // a proxied backend may answer without one
                        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                    }
                    response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    putLines(response.headers(), headers);
                    if (gzip) {
                        response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
                        response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
                    }
                    if (!keepAlive) {
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    }
                    if (head) {
                        finish(channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                response.status(), Unpooled.EMPTY_BUFFER, response.headers(),
                                io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE)));
                        return false;
                    }
                    channel.writeAndFlush(response);
                    return true;
                },
                // a HEAD answer's body is dropped: compressing it would be wasted work
                gzip && !head, this::finish);
    }

    /**
     * Sets each line's header, replacing what was set under its name before; a name that comes again in the lines
     * adds a line rather than replacing its own first one.
     */
    private static void putLines(io.netty.handler.codec.http.HttpHeaders target,
                                 Collection<? extends Map.Entry<String, String>> lines) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> line : lines) {
            if (seen.add(line.getKey().toLowerCase(java.util.Locale.ROOT))) {
                target.set(line.getKey(), line.getValue());
            } else {
                target.add(line.getKey(), line.getValue());
            }
        }
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
        try (GZIPOutputStream gzip = GzipLevel.open(out, 8192)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The writer of a stream that has already ended (the answer to a HEAD request). */
    private static final class EndedStream implements StreamWriter {
        @Override
        public boolean write(byte[] chunk) {
            return false;
        }

        @Override
        public void end() {
        }

        @Override
        public boolean isOpen() {
            return false;
        }

        @Override
        public void onClose(Runnable action) {
            action.run();
        }
    }

    /**
     * Writes a batch of watch lines as HTTP chunks of up to {@link #MAX_CHUNK_BYTES} (a longer line is a chunk of
     * its own), copying each line once, into pooled buffers: the copy the socket write needs anyway. A line shared
     * with other streams ({@link SharedBytes}, encoded once for all of them) is copied like any other. Writing each
     * shared line as a view of one native copy instead (no copy per watcher, but a channel write and an outbound
     * buffer entry per line) measured slower: a write through the pipeline costs more than copying a line of a
     * kilobyte or two, and the event loops doing it also serve the requests.
     */
    static io.netty.channel.ChannelFuture writeChunks(Channel channel, List<Object> batch) {
        io.netty.channel.ChannelFuture last = null;
        int i = 0;
        while (i < batch.size()) {
            int size = 0;
            int end = i;
            while (end < batch.size()
                    && (end == i || size + CoalescingOutbound.length(batch.get(end)) <= MAX_CHUNK_BYTES)) {
                size += CoalescingOutbound.length(batch.get(end++));
            }
            ByteBuf buf = channel.alloc().buffer(size);
            for (int k = i; k < end; k++) {
                if (batch.get(k) instanceof SharedBytes shared) {
                    buf.writeBytes(shared.bytes());
                } else {
                    for (byte[] part : (byte[][]) batch.get(k)) {
                        buf.writeBytes(part);
                    }
                }
            }
            last = channel.write(new DefaultHttpContent(buf));
            i = end;
        }
        return last;
    }

    private final class ChunkedStream implements StreamWriter {
        private final AtomicBoolean ended = new AtomicBoolean();
        private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
        private final CoalescingOutbound outbound = new CoalescingOutbound(channel, MAX_PENDING_STREAM_BYTES,
                Http1ResponseSink::writeChunks);

        ChunkedStream() {
            channel.closeFuture().addListener(f -> runCloseActions());
        }

        @Override
        public boolean write(byte[] chunk) {
            return isOpen() && outbound.offer(chunk);
        }

        @Override
        public boolean writeParts(byte[]... parts) {
            return isOpen() && outbound.offer(parts);
        }

        @Override
        public boolean writeShared(SharedBytes line) {
            return isOpen() && outbound.offer(line);
        }

        @Override
        public void end() {
            if (ended.compareAndSet(false, true)) {
                // queued behind the lines not yet written, so the last chunk never overtakes them
                outbound.end(ch -> {
                    if (ch.isActive()) {
                        finish(ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
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
}
