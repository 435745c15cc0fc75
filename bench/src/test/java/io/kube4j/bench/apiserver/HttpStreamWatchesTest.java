package io.kube4j.bench.apiserver;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The watcher's raw HTTP reader against a loopback server that streams chunked watch events cut at odd places. */
class HttpStreamWatchesTest {
    private static final int WATCHES = 20;
    private static final int EVENTS = 50;

    @Test
    void everyWatchIsFedOnceItHasEveryEventAndABrokenStreamIsNot() throws Exception {
        List<Integer> fed = new CopyOnWriteArrayList<>();
        WatchTally tally = new WatchTally(WATCHES, EVENTS, (watch, millis) -> fed.add(watch));
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < WATCHES; i++) {
                        Socket s = server.accept();
                        readHead(s.getInputStream());
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        accepted.add(s);
                    }
                } catch (IOException e) {
                    // the test fails on the counts below
                }
            });
            acceptor.start();
            try (HttpStreamWatches watches = new HttpStreamWatches("127.0.0.1", server.getLocalPort(),
                    "/api/v1/namespaces/w/configmaps?watch=1", WATCHES, tally, new WatchEventCheck("o-", EVENTS), 0)) {
                watches.open(10_000);
                assertThat(watches.established()).isEqualTo(WATCHES);
                acceptor.join();
                for (int w = 0; w < accepted.size(); w++) {
                    // the last connection skips one event: it must not count as fed
                    stream(accepted.get(w).getOutputStream(), w == WATCHES - 1 ? 7 : -1);
                }
                await().until(() -> fed.size() == WATCHES - 1);
                assertThat(fed).doesNotContain(WATCHES - 1);
                assertThat(tally.valid()).isEqualTo((long) WATCHES * EVENTS - 1);
                assertThat(tally.rejected()).isZero();
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    private static void stream(OutputStream out, int skip) throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            if (i != skip) {
                body.append("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"o-")
                        .append(String.format(Locale.ROOT, "%05d", i)).append("\",\"resourceVersion\":\"").append(i + 1)
                        .append("\"},\"data\":{\"k\":\"v\"}}}\n");
            }
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        // chunks of 100 bytes: events straddle chunk boundaries
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 100) {
            int n = Math.min(100, bytes.length - at);
            byte[] c = new byte[n];
            System.arraycopy(bytes, at, c, 0, n);
            chunks.add(c);
        }
        for (byte[] c : chunks) {
            out.write((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(c);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request cut");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
    }
}
