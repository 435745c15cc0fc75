package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of the normal suite (no Test suffix): fills a server with {@code -Dpods=N} (10,000) pods shaped like
 * bench/apiserver's and prints, per way of listing them, the time to the first and to the last byte read by a raw
 * HTTP/1.1 reader that does not parse, the bytes on the wire and the process CPU per list; then times real kubectl
 * on the same server. Run with {@code mvn -pl kube4j-apiserver surefire:test -Dtest=BigListBenchmark}.
 */
class BigListBenchmark {

    private static final int PODS = Integer.getInteger("pods", 10_000);
    private static final int ROUNDS = Integer.getInteger("rounds", 5);
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;"
            + "as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");

    @RegisterExtension
    final TestServer server = TestServer.perTest();

    @Test
    void listTimings() throws Exception {
        fill(server);
        int port = server.port();
        byte[] sample = Raw.get(port, "/api/v1/namespaces/big/pods/pod-00000", "application/json", false).body;
        System.out.printf(Locale.ROOT, "%nload average %s; one pod as served: %d bytes, of which "
                + "managedFields %d%n", loadAverage(), sample.length, managedFieldsBytes(sample));
        System.out.println("| request | gzip | first byte ms (median) | last byte ms (median / min) | bytes | "
                + "server CPU ms per list |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (boolean gzip : new boolean[] {false, true}) {
            measure(port, "namespace list, rv unset", "/api/v1/namespaces/big/pods", "application/json", gzip,
                    false);
            measure(port, "namespace list, rv=0", "/api/v1/namespaces/big/pods?resourceVersion=0",
                    "application/json", gzip, false);
            measure(port, "all namespaces, rv unset", "/api/v1/pods", "application/json", gzip, false);
            measure(port, "limit=500, every page", "/api/v1/pods?limit=500", "application/json", gzip, true);
            measure(port, "Table, rv unset", "/api/v1/pods", TABLE, gzip, false);
            measure(port, "Table, rv=0", "/api/v1/pods?resourceVersion=0", TABLE, gzip, false);
            measure(port, "Table, limit=500, every page", "/api/v1/pods?limit=500", TABLE, gzip, true);
        }
        kubectl(server);
    }

    private static void fill(TestServer server) throws Exception {
        assertThat(server.send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"big\"}}").statusCode())
                .isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int i = first; i < PODS; i += 8) {
                    HttpResponse<String> created = server.send("POST", "/api/v1/namespaces/big/pods",
                            "application/json", pod(String.format(Locale.ROOT, "pod-%05d", i)));
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    /** bench/apiserver's pod. */
    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"big\","
                + "\"labels\":{\"app\":\"bench\",\"gen\":\"g0\"}},\"spec\":{\"containers\":[{"
                + "\"name\":\"main\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"3600\"],"
                + "\"ports\":[{\"containerPort\":8080}],\"resources\":{\"requests\":{\"cpu\":\"10m\","
                + "\"memory\":\"16Mi\"}}}],\"restartPolicy\":\"Always\"}}";
    }

    private static int managedFieldsBytes(byte[] pod) {
        JsonNode managed = Json.parse(pod).path("metadata").path("managedFields");
        return managed.isMissingNode() ? 0 : Json.bytes(managed).length + "\"managedFields\":,".length();
    }

    private static void measure(int port, String name, String path, String accept, boolean gzip, boolean pages)
            throws Exception {
        for (int i = 0; i < 2; i++) {
            walk(port, path, accept, gzip, pages);
        }
        long[] first = new long[ROUNDS];
        long[] last = new long[ROUNDS];
        long bytes = 0;
        long cpu0 = serverCpuNanos();
        for (int i = 0; i < ROUNDS; i++) {
            Walk w = walk(port, path, accept, gzip, pages);
            first[i] = w.firstByteNanos;
            last[i] = w.lastByteNanos;
            bytes = w.bytes;
        }
        long cpu = (serverCpuNanos() - cpu0) / ROUNDS;
        Arrays.sort(first);
        Arrays.sort(last);
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f / %.1f | %,d | %.0f |%n", name, gzip ? "yes" : "no",
                first[ROUNDS / 2] / 1e6, last[ROUNDS / 2] / 1e6, last[0] / 1e6, bytes, cpu / 1e6);
    }

    private record Walk(long firstByteNanos, long lastByteNanos, long bytes) {
    }

    /** One list, or every page of it: first byte of the first page, last byte summed over pages. */
    private static Walk walk(int port, String path, String accept, boolean gzip, boolean pages) throws IOException {
        long first = -1;
        long total = 0;
        long bytes = 0;
        String token = null;
        int items = 0;
        do {
            String p = token == null ? path : path + "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            Raw.Response r = Raw.get(port, p, accept, gzip);
            assertThat(r.status).as(new String(r.body, StandardCharsets.UTF_8)).isEqualTo(200);
            if (first < 0) {
                first = r.firstByteNanos;
            }
            total += r.lastByteNanos;
            bytes += r.wireBytes;
            token = null;
            if (pages) {
                JsonNode list = Json.parse(r.body);
                token = list.path("metadata").path("continue").asString("");
                items += list.path(list.has("rows") ? "rows" : "items").size();
                if (token.isEmpty()) {
                    token = null;
                }
            }
        } while (token != null);
        if (pages) {
            assertThat(items).isEqualTo(PODS);
        }
        return new Walk(first, total, bytes);
    }

    private static void kubectl(TestServer server) throws Exception {
        if (!KUBECTL.toFile().canExecute()) {
            return;
        }
        Kubectl kubectl = new Kubectl(KUBECTL, server.kubeconfig(), server.dir());
        kubectl.run("get", "ns");
        String whole = null;
        for (String[] args : List.of(new String[] {"get", "pods", "-A"},
                new String[] {"get", "pods", "-A", "--chunk-size=500"},
                new String[] {"get", "pods", "-A", "--chunk-size=0"},
                new String[] {"get", "pods", "-n", "big", "-o", "wide"})) {
            long[] wall = new long[3];
            Kubectl.Result result = null;
            for (int i = 0; i < wall.length; i++) {
                long t0 = System.nanoTime();
                result = kubectl.run(args);
                wall[i] = System.nanoTime() - t0;
                assertThat(result.exit()).as(result.err()).isZero();
            }
            Arrays.sort(wall);
            String[] lines = result.out().split("\n");
            assertThat(lines).hasSize(PODS + 1);
            // the same table whatever the chunking, but for the AGE column, which moves on between runs
            String withoutAge = result.out().replaceAll("(?m)\\s+\\S+$", "");
            if (args.length == 3) {
                whole = withoutAge;
            } else if (args[1].equals("pods") && args[2].equals("-A")) {
                assertThat(withoutAge).isEqualTo(whole);
            }
            System.out.printf(Locale.ROOT, "kubectl %s: %d lines, wall median %.0f ms (min %.0f)%n",
                    String.join(" ", args), lines.length, wall[1] / 1e6, wall[0] / 1e6);
        }
    }

    /** The process's CPU less the reading thread's (this one): the server's work, its GC and JIT included. */
    private static long serverCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() - ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** HTTP/1.1 GET over a plain socket, timed at the first and the last byte; the body is undone afterwards. */
    static final class Raw {
        record Response(int status, byte[] body, long wireBytes, long firstByteNanos, long lastByteNanos) {
        }

        static Response get(int port, String path, String accept, boolean gzip) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.setReceiveBufferSize(1 << 20);
                String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + accept
                        + "\r\n" + (gzip ? "Accept-Encoding: gzip\r\n" : "") + "Connection: close\r\n\r\n";
                long t0 = System.nanoTime();
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream(1 << 20);
                byte[] buf = new byte[1 << 16];
                int n = in.read(buf);
                long first = System.nanoTime() - t0;
                while (n >= 0) {
                    all.write(buf, 0, n);
                    n = in.read(buf);
                }
                long last = System.nanoTime() - t0;
                byte[] raw = all.toByteArray();
                return parse(raw, first, last);
            }
        }

        private static Response parse(byte[] raw, long first, long last) throws IOException {
            int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            String head = new String(raw, 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            int status = Integer.parseInt(head.substring(9, 12));
            byte[] body = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
            if (head.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            if (head.contains("content-encoding: gzip")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            return new Response(status, body, raw.length, first, last);
        }

        private static byte[] dechunk(byte[] b) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
            int i = 0;
            while (true) {
                int eol = indexOf(b, new byte[] {'\r', '\n'}, i);
                int size = Integer.parseInt(new String(b, i, eol - i, StandardCharsets.US_ASCII).trim(), 16);
                if (size == 0) {
                    return out.toByteArray();
                }
                out.write(b, eol + 2, size);
                i = eol + 2 + size + 2;
            }
        }

        private static int indexOf(byte[] b, byte[] what, int from) {
            outer:
            for (int i = from; i <= b.length - what.length; i++) {
                for (int k = 0; k < what.length; k++) {
                    if (b[i + k] != what[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            throw new IllegalStateException("malformed response");
        }
    }

    /** Prints what the fabric8 client (JDK transport) sends for a list: Accept and Accept-Encoding. */
    @Test
    void fabric8ListHeaders() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            var config = new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + listener.getLocalPort()).withRequestRetryBackoffLimit(0)
                    .build();
            Thread reader = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    byte[] buf = new byte[8192];
                    int n = s.getInputStream().read(buf);
                    System.out.println("fabric8 request:\n" + new String(buf, 0, n, StandardCharsets.US_ASCII));
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2"
                            + "\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            reader.start();
            try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
                client.pods().inNamespace("big").list();
            } catch (RuntimeException ignored) {
                // the answer is not a list; only the request matters here
            }
            reader.join(10_000);
        }
    }
}
