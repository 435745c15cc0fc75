package io.kube4j.bench.apiserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches read as kubectl and client-go read them (one streamed HTTP/1.1 response a watch, one JSON event a line),
 * by one selector thread over plain non-blocking sockets: no HTTP client library, no JSON tree, so the reader costs
 * little next to the server that writes the events.
 */
final class HttpStreamWatches extends WatchReaders {
    private final InetSocketAddress server;
    private final byte[] request;
    private final int watches;
    private final WatchTally tally;
    private final WatchEventCheck check;
    private final CountDownLatch settled;
    private final Selector selector;
    private final Thread loop;
    private final int readPauseMillis;
    private volatile boolean running = true;

    HttpStreamWatches(String host, int port, String pathAndQuery, int watches, WatchTally tally,
                      WatchEventCheck check, int readPauseMillis) throws IOException {
        this.readPauseMillis = readPauseMillis;
        this.server = new InetSocketAddress(host, port);
        this.request = HttpResponseDecoder.get(host, port, pathAndQuery);
        this.watches = watches;
        this.tally = tally;
        this.check = check;
        this.settled = new CountDownLatch(watches);
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "watch-reader");
        loop.setDaemon(true);
    }

    @Override
    void open(long timeoutMillis) throws IOException, InterruptedException {
        for (int i = 0; i < watches; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(i);
            if (channel.connect(server)) {
                // a loopback connect may complete at once, and then no OP_CONNECT ever comes
                c.sendRequest(channel);
                channel.register(selector, SelectionKey.OP_READ, c);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }
        loop.start();
        if (!settled.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            error("not all watches answered within " + timeoutMillis + " ms");
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        try {
            while (running) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.connected(key);
                        } else if (key.isReadable()) {
                            c.read(key, buffer);
                        }
                    } catch (IOException | RuntimeException e) {
                        c.fail(key, e.toString());
                    }
                }
                selector.selectedKeys().clear();
                if (readPauseMillis > 0) {
                    // let events pile up in the socket buffers so the next round reads many per system call
                    Thread.sleep(readPauseMillis);
                }
            }
        } catch (IOException e) {
            error("selector: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing at the end; nothing left to report to
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // as above
            }
        }
    }

    /** One watch: its socket's response, decoded and split into lines that go to the tally. */
    private final class Connection implements HttpResponseDecoder.Sink {
        private final int watch;
        private final HttpResponseDecoder decoder = new HttpResponseDecoder(this);
        private final LineSplitter lines;
        private boolean answered;
        private StringBuilder errorBody;

        Connection(int watch) {
            this.watch = watch;
            // most lines are the ones another watch already checked: the tally takes those whole, unscanned
            this.lines = new LineSplitter((buf, off, len) -> tally.event(watch, check, buf, off, len),
                    (buf, off, available) -> tally.knownLine(watch, buf, off, available));
        }

        void connected(SelectionKey key) throws IOException {
            SocketChannel channel = (SocketChannel) key.channel();
            channel.finishConnect();
            sendRequest(channel);
            key.interestOps(SelectionKey.OP_READ);
        }

        void sendRequest(SocketChannel channel) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(request);
            // a few hundred bytes into an empty socket buffer: one write takes them all
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    Thread.onSpinWait();
                }
            }
        }

        void read(SelectionKey key, ByteBuffer buffer) throws IOException {
            SocketChannel channel = (SocketChannel) key.channel();
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                key.cancel();
                channel.close();
                if (!decoder.closed() || !answered) {
                    fail(key, "connection closed " + (answered ? "mid-stream" : "before an answer"));
                } else {
                    ended.incrementAndGet();
                }
                return;
            }
            decoder.feed(buffer.array(), 0, n);
        }

        void fail(SelectionKey key, String why) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // already failing
            }
            error("watch " + watch + ": " + why);
            if (!answered) {
                answered = true;
                failed.incrementAndGet();
                settled.countDown();
            } else {
                ended.incrementAndGet();
            }
        }

        @Override
        public void head(int status) {
            if (status == 200) {
                answered = true;
                established.incrementAndGet();
                settled.countDown();
            } else {
                errorBody = new StringBuilder("status " + status + ": ");
            }
        }

        @Override
        public void body(byte[] buf, int off, int len) {
            if (errorBody == null) {
                lines.feed(buf, off, len);
            } else if (errorBody.length() < 300) {
                errorBody.append(new String(buf, off, Math.min(len, 300), java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        @Override
        public void end() {
            if (errorBody != null) {
                answered = true;
                failed.incrementAndGet();
                settled.countDown();
                error("watch " + watch + ": " + errorBody);
            }
        }
    }
}
