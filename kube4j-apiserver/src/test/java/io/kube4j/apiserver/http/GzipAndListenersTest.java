package io.kube4j.apiserver.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Through a real server: gzip only above upstream's 128 KiB and only when {@code Accept-Encoding} allows it, on
 * whole and streamed bodies alike; a second listening address served by the same pools and closed with the server.
 */
class GzipAndListenersTest {

    private static final int THRESHOLD = Http1ResponseSink.GZIP_THRESHOLD_BYTES;

    ExecutorService workers;
    HttpServer server;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        workers = Executors.newFixedThreadPool(4);
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), GzipAndListenersTest::handle, workers,
                1024 * 1024, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** /whole/N sends N bytes at once, /streamed/N writes them in 1000-byte pieces; both say who served them. */
    private static void handle(ApiRequest request, ResponseSink sink) {
        String[] parts = request.path().split("/");
        byte[] body = "x".repeat(Integer.parseInt(parts[2])).getBytes();
        Map<String, String> headers = Map.of("X-Thread", Thread.currentThread().getName());
        if (parts[1].equals("whole")) {
            sink.send(200, "text/plain", body, headers);
            return;
        }
        ResponseSink.BodyWriter out = sink.body(200, "text/plain", headers);
        for (int i = 0; i < body.length; i += 1000) {
            out.write(body, i, Math.min(1000, body.length - i));
        }
        out.close();
    }

    private HttpResponse<byte[]> get(String host, String path, String... acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.port() + path));
        for (String value : acceptEncoding) {
            request.header("Accept-Encoding", value);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] decoded(HttpResponse<byte[]> response) throws IOException {
        if (response.headers().firstValue("content-encoding").orElse("").equals("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
                return in.readAllBytes();
            }
        }
        return response.body();
    }

    @Test
    void onlyBodiesLargerThan128KiBAreCompressed() throws Exception {
        for (String kind : new String[] {"whole", "streamed"}) {
            HttpResponse<byte[]> atThreshold = get("127.0.0.1", "/" + kind + "/" + THRESHOLD, "gzip");
            assertThat(atThreshold.headers().firstValue("content-encoding")).as(kind).isEmpty();
            assertThat(atThreshold.body()).as(kind).hasSize(THRESHOLD);

            HttpResponse<byte[]> above = get("127.0.0.1", "/" + kind + "/" + (THRESHOLD + 1), "gzip");
            assertThat(above.headers().firstValue("content-encoding")).as(kind).hasValue("gzip");
            assertThat(above.headers().allValues("vary")).as(kind).anyMatch(v -> v.equalsIgnoreCase("accept-encoding"));
            assertThat(above.body().length).as(kind).isLessThan(THRESHOLD);
            assertThat(decoded(above)).as(kind).hasSize(THRESHOLD + 1);
        }
    }

    @Test
    void theHeaderIsReadAsTheRfcSays() throws Exception {
        String large = "/whole/" + (THRESHOLD * 2);
        assertThat(get("127.0.0.1", large).headers().firstValue("content-encoding")).isEmpty();
        assertThat(get("127.0.0.1", large, "gzip;q=0").headers().firstValue("content-encoding")).isEmpty();
        assertThat(get("127.0.0.1", large, "*, gzip;q=0").headers().firstValue("content-encoding")).isEmpty();
        assertThat(get("127.0.0.1", large, "identity, gzipped").headers().firstValue("content-encoding")).isEmpty();
        assertThat(get("127.0.0.1", large, "*").headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(get("127.0.0.1", large, " GZIP ; q=0.5").headers().firstValue("content-encoding"))
                .hasValue("gzip");
        // two header lines are one list
        assertThat(get("127.0.0.1", large, "br", "gzip").headers().firstValue("content-encoding")).hasValue("gzip");
        HttpResponse<byte[]> streamed = get("127.0.0.1", "/streamed/" + (THRESHOLD * 2), "deflate;q=1, gzip;q=0");
        assertThat(streamed.headers().firstValue("content-encoding")).isEmpty();
        assertThat(streamed.body()).hasSize(THRESHOLD * 2);
    }

    @Test
    void anAddressInUseIsNamedInTheFailure() {
        assertThatThrownBy(() -> HttpServer.start(new InetSocketAddress("127.0.0.1", server.port()),
                GzipAndListenersTest::handle, Executors.newFixedThreadPool(1), 1024, null))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port() + ": ");
        assertThatThrownBy(() -> server.listenAlso(new InetSocketAddress("127.0.0.1", server.port())))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port() + ": ");
    }

    @Test
    void aSecondAddressIsServedByTheSamePoolsAndClosedWithTheServer() throws Exception {
        // 127.0.0.2 is loopback too (the whole 127/8 is): a second address without touching any interface
        int port = server.listenAlso(new InetSocketAddress("127.0.0.2", server.port()));
        assertThat(port).isEqualTo(server.port());
        HttpResponse<byte[]> first = get("127.0.0.1", "/whole/3");
        HttpResponse<byte[]> second = get("127.0.0.2", "/whole/3");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).hasSize(3);
        // the caller's worker pool serves both addresses: its threads are named pool-N-thread-M
        String pool = first.headers().firstValue("x-thread").orElseThrow().replaceAll("-thread-\\d+$", "");
        assertThat(second.headers().firstValue("x-thread").orElseThrow()).startsWith(pool + "-thread-");

        server.close();
        assertThat(workers.isShutdown()).isTrue();
        for (String host : new String[] {"127.0.0.1", "127.0.0.2"}) {
            assertThatThrownBy(() -> new Socket(host, port).close()).as(host).isInstanceOf(ConnectException.class);
        }
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), GzipAndListenersTest::handle,
                Executors.newFixedThreadPool(1), 1024, null); // for stop()
    }
}
