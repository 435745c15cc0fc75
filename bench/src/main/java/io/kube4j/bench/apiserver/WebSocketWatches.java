package io.kube4j.bench.apiserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Watches over WebSocket, one JSON event a message: the only way fabric8's mock server serves a watch. The JDK
 * WebSocket client of this process reads them; each message gets the same check as a streamed line.
 */
final class WebSocketWatches extends WatchReaders {
    private final URI uri;
    private final int watches;
    private final WatchTally tally;
    private final String namePrefix;
    private final int events;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final List<WebSocket> sockets = new ArrayList<>();

    WebSocketWatches(String host, int port, String pathAndQuery, int watches, WatchTally tally, String namePrefix,
                     int events) {
        this.uri = URI.create("ws://" + host + ":" + port + pathAndQuery);
        this.watches = watches;
        this.tally = tally;
        this.namePrefix = namePrefix;
        this.events = events;
    }

    @Override
    void open(long timeoutMillis) throws InterruptedException {
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < watches; i++) {
            opening.add(client.newWebSocketBuilder().buildAsync(uri, new Listener(i)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (CompletableFuture<WebSocket> f : opening) {
            try {
                WebSocket ws = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                established.incrementAndGet();
                synchronized (sockets) {
                    sockets.add(ws);
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failed.incrementAndGet();
                error("opening a websocket watch: " + e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (sockets) {
            sockets.forEach(WebSocket::abort);
        }
    }

    /** One watch; the JDK calls one listener from one thread at a time, so its state needs no locks. */
    private final class Listener implements WebSocket.Listener {
        private final int watch;
        private final WatchEventCheck check = new WatchEventCheck(namePrefix, events);
        private final StringBuilder partial = new StringBuilder();

        Listener(int watch) {
            this.watch = watch;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last || partial.length() > 0) {
                partial.append(data);
            }
            if (last) {
                String message = partial.length() > 0 ? partial.toString() : data.toString();
                partial.setLength(0);
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                tally.event(watch, check, bytes, 0, bytes.length);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            ended.incrementAndGet();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended.incrementAndGet();
            error("watch " + watch + ": websocket " + error);
        }
    }
}
