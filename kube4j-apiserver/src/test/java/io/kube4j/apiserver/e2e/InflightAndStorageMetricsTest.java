package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics}' {@code apiserver_current_inflight_requests} - requests executing by kind, long-running ones not
 * counted but a watch while it starts - back where it was however a request ends: answered, refused, or cut off by
 * a client that went away in the middle of a large answer; and {@code etcd_request_duration_seconds} by operation
 * and resource. The gauge is the highest count of the last whole second (upstream's watermark); the polls' own
 * scrapes are readOnly requests in it, so "nothing else" reads readOnly 1 once a second without anything else passed.
 */
class InflightAndStorageMetricsTest {

    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
    /** Larger together than the socket buffers between client and server: an unread answer stalls the server. */
    private static final int BIG_MAPS = 16;
    private static final String BIG = CONFIGMAPS + "?labelSelector=size%3Dbig";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void start() {
        String value = "x".repeat(900 * 1024);
        for (int i = 0; i < BIG_MAPS; i++) {
            HttpResponse<String> created = server.send("POST", CONFIGMAPS, "application/json", "{\"apiVersion\":\"v1\","
                    + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big-" + i + "\",\"labels\":{\"size\":\"big\"}},"
                    + "\"data\":{\"k\":\"" + value + "\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    private static long inflight(String kind) {
        String metrics = server.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^apiserver_current_inflight_requests\\{request_kind=\"" + kind
                + "\"} (\\d+)$").matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void nothingElseInFlight() {
        await().atMost(Duration.ofSeconds(20)).until(() -> inflight("mutating") == 0 && inflight("readOnly") == 1);
    }

    /** Sends {@code method path} on a raw connection whose client reads only the status line, then stops reading. */
    private static Socket stalled(String method, String path) throws IOException {
        Socket socket = new Socket();
        // a small window: the server's writes stall once its own buffers are full
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder status = new StringBuilder();
        for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
            status.append((char) b);
        }
        assertThat(status.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }

    /** Breaks the connection at once (a reset, as a client killed mid-answer does). */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aListCutOffMidAnswerIsNoLongerInFlight() throws IOException {
        nothingElseInFlight();
        Socket socket = stalled("GET", BIG);
        // the list is stuck writing to a client that does not read: still executing
        await().atMost(Duration.ofSeconds(20)).until(() -> inflight("readOnly") == 2);
        reset(socket);
        nothingElseInFlight();
    }

    @Test
    void aCollectionDeleteCutOffMidAnswerIsNoLongerInFlight() throws IOException {
        nothingElseInFlight();
        // a dry run answers every object it would delete, and deletes none
        Socket socket = stalled("DELETE", BIG + "&dryRun=All");
        await().atMost(Duration.ofSeconds(20)).until(() -> inflight("mutating") == 1);
        reset(socket);
        nothingElseInFlight();
        assertThat(server.get(CONFIGMAPS + "/big-0").statusCode()).isEqualTo(200);
    }

    @Test
    void refusedRequestsAndRunningWatchesAreNotInFlight() throws IOException {
        assertThat(server.get(CONFIGMAPS + "/none").statusCode()).isEqualTo(404);
        assertThat(server.send("POST", CONFIGMAPS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"Not_A_Name\"}}").statusCode()).isEqualTo(422);
        assertThat(server.send("POST", CONFIGMAPS, "application/json", "{").statusCode()).isEqualTo(400);
        assertThat(server.send("DELETE", "/api/v1/componentstatuses/etcd-0", null, null).statusCode())
                .isEqualTo(405);
        assertThat(server.get("/no/such/path").statusCode()).isEqualTo(404);
        nothingElseInFlight();

        // a watch counts only while it starts: once its stream is open it no longer executes
        Socket watch = stalled("GET", CONFIGMAPS + "?watch=true&resourceVersion=0&labelSelector=size%3Dsmall");
        try {
            nothingElseInFlight();
        } finally {
            reset(watch);
        }
        nothingElseInFlight();
    }

    @Test
    void storageCallsAreTimedByOperationAndResource() {
        assertThat(server.send("POST", CONFIGMAPS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"timed\"}}").statusCode()).isEqualTo(201);
        assertThat(server.send("DELETE", CONFIGMAPS + "/timed", null, null).statusCode()).isEqualTo(200);
        assertThat(server.send("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"timed\"},\"spec\":{"
                        + "\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{"
                        + "\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}")
                .statusCode()).isEqualTo(201);
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("# TYPE etcd_request_duration_seconds histogram\n");
        for (String series : new String[]{"operation=\"create\",type=\"configmaps\"",
                "operation=\"delete\",type=\"configmaps\"", "operation=\"create\",type=\"deployments.apps\""}) {
            assertThat(metrics).containsPattern("(?m)^etcd_request_duration_seconds_count\\{" + Pattern.quote(series)
                    + "} [1-9]\\d*$");
            assertThat(metrics).contains("etcd_request_duration_seconds_bucket{" + series + ",le=\"0.005\"}");
        }
    }
}
