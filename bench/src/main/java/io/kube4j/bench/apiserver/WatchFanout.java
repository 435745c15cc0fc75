package io.kube4j.bench.apiserver;

import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many watches on one collection, each counting the events it receives and noting when it has seen all of a
 * burst. kube4j is watched the way kubectl and client-go do it (a streamed HTTP response, one JSON event a
 * line); the mock serves watches over WebSocket only (one event a message), so it is watched that way.
 */
final class WatchFanout {
    enum Transport { HTTP_STREAM, WEBSOCKET }

    /** How the fan-out went: when each watch had every event (nanoTime, 0 if never), and the extra events seen. */
    record Outcome(long[] completedAt, int established, long received, int overCount, String firstError) {
    }

    private final Api api;
    private final String path;
    private final int watchers;
    private final int events;
    private final long[] completedAt;
    private final AtomicInteger[] counts;
    private final CountDownLatch fed;
    private final List<Runnable> closers = new ArrayList<>();
    private final AtomicInteger established = new AtomicInteger();
    private volatile String firstError;

    WatchFanout(Api api, String collectionPath, int watchers, int events) {
        this.api = api;
        this.path = collectionPath;
        this.watchers = watchers;
        this.events = events;
        this.completedAt = new long[watchers];
        this.counts = new AtomicInteger[watchers];
        for (int i = 0; i < watchers; i++) {
            counts[i] = new AtomicInteger();
        }
        this.fed = new CountDownLatch(watchers);
    }

    /** Opens every watch and waits (up to a bound) until each is established. */
    void open(Transport transport, String resourceVersion) throws InterruptedException {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            opening.add(transport == Transport.HTTP_STREAM ? openHttp(i, resourceVersion) : openWebSocket(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (CompletableFuture<?> f : opening) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                error("opening a watch: " + e);
            }
        }
    }

    private CompletableFuture<?> openHttp(int i, String resourceVersion) {
        String query = "?watch=1" + (resourceVersion == null ? "" : "&resourceVersion=" + resourceVersion);
        return api.client().sendAsync(api.request(path + query).GET().build(), HttpResponse.BodyHandlers.ofPublisher())
                .thenAccept(response -> {
                    if (response.statusCode() != 200) {
                        error("watch status " + response.statusCode());
                    } else {
                        established.incrementAndGet();
                    }
                    response.body().subscribe(new LineCounter(i));
                });
    }

    private CompletableFuture<?> openWebSocket(int i) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                if (last) {
                    received(i);
                }
                ws.request(1);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                error("websocket: " + error);
            }
        };
        return api.client().newWebSocketBuilder().buildAsync(api.webSocketUri(path + "?watch=true"), listener)
                .thenAccept(ws -> {
                    established.incrementAndGet();
                    synchronized (closers) {
                        closers.add(ws::abort);
                    }
                });
    }

    /** Waits until every watch has every event, or the timeout passes. */
    Outcome await(long timeoutSeconds) throws InterruptedException {
        fed.await(timeoutSeconds, TimeUnit.SECONDS);
        int over = 0;
        long received = 0;
        for (AtomicInteger c : counts) {
            over += Math.max(0, c.get() - events);
            received += c.get();
        }
        return new Outcome(completedAt.clone(), established.get(), received, over, firstError);
    }

    void close() {
        synchronized (closers) {
            closers.forEach(Runnable::run);
        }
    }

    private void received(int i) {
        if (counts[i].incrementAndGet() == events) {
            completedAt[i] = System.nanoTime();
            fed.countDown();
        }
    }

    private void error(String message) {
        if (firstError == null) {
            firstError = message;
        }
    }

    /** Counts newline-terminated events in a streamed watch body without decoding it. */
    private final class LineCounter implements Flow.Subscriber<List<ByteBuffer>> {
        private final int index;

        LineCounter(int index) {
            this.index = index;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (closers) {
                closers.add(subscription::cancel);
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                for (int p = b.position(); p < b.limit(); p++) {
                    if (b.get(p) == '\n') {
                        received(index);
                    }
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // cancelled at close, or the server ended the watch: both show up as missing events
        }

        @Override
        public void onComplete() {
        }
    }
}
