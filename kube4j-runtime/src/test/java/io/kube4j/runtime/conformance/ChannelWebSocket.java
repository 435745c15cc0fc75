package io.kube4j.runtime.conformance;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A client of Kubernetes' WebSocket channel protocol, for streaming URLs a CRI runtime hands back. */
public final class ChannelWebSocket implements AutoCloseable {
    private final Map<Integer, ByteArrayOutputStream> streams = new HashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final WebSocket socket;

    public ChannelWebSocket(String url, String protocol) throws Exception {
        URI uri = URI.create(url.replaceFirst("^http", "ws"));
        socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(protocol).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        message.writeBytes(bytes);
                        if (last) {
                            byte[] whole = message.toByteArray();
                            message.reset();
                            if (whole.length > 0) {
                                synchronized (streams) {
                                    streams.computeIfAbsent(whole[0] & 0xff, k -> new ByteArrayOutputStream())
                                            .write(whole, 1, whole.length - 1);
                                }
                            }
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(null);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    public void send(int stream, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(data.length + 1);
        buffer.put((byte) stream).put(data).flip();
        socket.sendBinary(buffer, true).join();
    }

    public byte[] stream(int stream) {
        synchronized (streams) {
            ByteArrayOutputStream out = streams.get(stream);
            return out == null ? new byte[0] : out.toByteArray();
        }
    }

    public String text(int stream) {
        return new String(stream(stream), StandardCharsets.UTF_8);
    }

    public void awaitClose() throws Exception {
        closed.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
