package io.kube4j.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NettyRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the handler may serve on a quiet loop: on the event loop while no other request of the loop is in
 * progress, on a worker while one is; an answer bigger than the socket takes at once is
 * still written whole from the loop (which must not wait for itself).
 */
class QuietLoopRequestsTest {

    private static final String WORKER = "test-worker";
    /** Far more than loopback's socket buffers: the channel turns unwritable while the loop writes it. */
    private static final int BIG = 16 * 1024 * 1024;

    /** How the handler of the big answer ended: written, or failed. */
    private static volatile CompletableFuture<Void> BIG_WRITTEN = new CompletableFuture<>();

    ExecutorService workers;
    HttpServer server;

    private static final HttpHandler HANDLER = new HttpHandler() {
        @Override
        public void handle(ApiRequest request, ResponseSink sink) {
            Map<String, String> thread = Map.of("X-Thread", Thread.currentThread().getName());
            if (request.path().equals("/quiet/big")) {
                try {
                    ResponseSink.BodyWriter body = sink.body(200, "application/octet-stream", thread);
                    byte[] piece = new byte[64 * 1024];
                    for (int written = 0; written < BIG; written += piece.length) {
                        Arrays.fill(piece, (byte) (written / piece.length));
                        body.write(piece);
                    }
                    body.close();
                    BIG_WRITTEN.complete(null);
                } catch (RuntimeException e) {
                    BIG_WRITTEN.completeExceptionally(e);
                    throw e;
                }
                return;
            }
            sink.send(200, "text/plain", request.path().getBytes(StandardCharsets.US_ASCII), thread);
        }

        @Override
        public boolean servesOnQuietLoop(ApiRequest request) {
            return request.path().startsWith("/quiet/");
        }
    };

    @BeforeEach
    void start() {
        workers = Executors.newFixedThreadPool(2, r -> new Thread(r, WORKER));
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), HANDLER, workers, 1024 * 1024, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRequestInProgressOnTheLoopSendsTheNextToAWorkerTillItEnds() {
        // two connections of one loop: embedded channels run on the calling thread, which plays the loop
        List<Runnable> queuedForWorkers = new ArrayList<>();
        List<String> servedInline = new ArrayList<>();
        boolean[] asWorker = {false};
        HttpHandler recording = new HttpHandler() {
            @Override
            public void handle(ApiRequest request, ResponseSink sink) {
                if (!asWorker[0]) {
                    servedInline.add(request.path());
                }
                sink.send(200, "text/plain", new byte[0]);
            }

            @Override
            public boolean servesOnQuietLoop(ApiRequest request) {
                return request.path().startsWith("/quiet/");
            }
        };
        EmbeddedChannel first = new EmbeddedChannel(new HttpConnectionHandler(recording, queuedForWorkers::add, false));
        EmbeddedChannel second = new EmbeddedChannel(new HttpConnectionHandler(recording, queuedForWorkers::add, false));
        try {
            assertThat(QuietLoops.quiet()).isTrue();
            first.writeInbound(get("/other/a"));
            second.writeInbound(get("/quiet/b"));
            // the first connection's request is in progress on a worker: the second's goes to a worker too
            assertThat(queuedForWorkers).hasSize(2);
            assertThat(servedInline).isEmpty();
            asWorker[0] = true;
            for (Runnable task : List.copyOf(queuedForWorkers)) {
                task.run();
            }
            asWorker[0] = false;
            first.runPendingTasks();
            second.runPendingTasks();
            assertThat(QuietLoops.quiet()).isTrue();
            second.writeInbound(get("/quiet/c"));
            assertThat(queuedForWorkers).hasSize(2);
            assertThat(servedInline).containsExactly("/quiet/c");
        } finally {
            first.finishAndReleaseAll();
            second.finishAndReleaseAll();
        }
    }

    private static FullHttpRequest get(String path) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
    }

    @Test
    void aLoneConnectionIsServedOnItsEventLoopOtherRequestsOnAWorker() throws Exception {
        try (Socket socket = connect()) {
            assertThat(exchange(socket, "/quiet/a")).isNotEqualTo(WORKER);
            assertThat(exchange(socket, "/other/a")).isEqualTo(WORKER);
        }
    }

    @Test
    void idleConnectionsOnTheLoopDoNotCount() throws Exception {
        // one connection more than there are loops: at least two share one, whichever way they are spread
        int loops = Integer.getInteger("io.netty.eventLoopThreads", NettyRuntime.availableProcessors() * 2);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i <= loops; i++) {
                sockets.add(connect());
                exchange(sockets.get(i), "/other/warm");
            }
            for (Socket socket : sockets) {
                // the others are kept alive but idle: nothing is in progress on any loop
                assertThat(exchange(socket, "/quiet/b")).isNotEqualTo(WORKER);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aBigAnswerIsWrittenWholeFromTheLoop() throws Exception {
        BIG_WRITTEN = new CompletableFuture<>();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write("GET /quiet/big HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // nothing is read until the handler is done: the body cannot fit in the sockets' buffers, so the
            // channel turns unwritable while the loop writes it - and a loop that waited for itself would fail here
            BIG_WRITTEN.get(60, TimeUnit.SECONDS);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            assertThat(header(head, "x-thread")).isNotEqualTo(WORKER);
            byte[] body = readChunked(in);
            assertThat(body).hasSize(BIG);
            for (int at = 0; at < BIG; at += 64 * 1024) {
                assertThat(body[at]).as("piece at %d", at).isEqualTo((byte) (at / (64 * 1024)));
            }
        }
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends one GET and returns the answer's X-Thread header. */
    private static String exchange(Socket socket, String path) throws Exception {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        in.readNBytes(Integer.parseInt(header(head, "content-length")));
        return header(head, "x-thread");
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) readByte(in));
        }
        return head.toString();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + head);
    }

    /** A chunked body: hex size lines, each chunk and its CRLF, up to the zero-size chunk and the final CRLF. */
    private static byte[] readChunked(InputStream in) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            while (!line.toString().endsWith("\r\n")) {
                line.append((char) readByte(in));
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            if (size == 0) {
                readByte(in);
                readByte(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readByte(in);
            readByte(in);
        }
    }

    private static int readByte(InputStream in) throws Exception {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed mid-answer");
        }
        return b;
    }
}
