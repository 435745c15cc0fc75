package io.kube4j.apiserver.security;

import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of the normal suite (no Test suffix): prints GET throughput and latency over h2 and HTTP/1.1 against a
 * securely serving API server. Run with {@code mvn -pl kube4j-apiserver test -Dtest=Http2VsHttp11Benchmark}.
 */
class Http2VsHttp11Benchmark {

    private static final int SEQUENTIAL = 1_000;
    private static final int CONCURRENCY = 50;
    private static final int PER_WORKER = 100;
    private static final String PATH = "/api/v1/namespaces/default";

    @TempDir
    Path dir;

    @Test
    void compare() throws Exception {
        try (SecureServer server = SecureServer.start(dir)) {
            HttpClient h2 = client(server, HttpClient.Version.HTTP_2);
            HttpClient h1 = client(server, HttpClient.Version.HTTP_1_1);
            sequential(server, h2, 500);
            sequential(server, h1, 500);
            report("h2 sequential, 1 connection", SEQUENTIAL, sequential(server, h2, SEQUENTIAL));
            report("http/1.1 sequential, 1 connection", SEQUENTIAL, sequential(server, h1, SEQUENTIAL));
            report("h2, " + CONCURRENCY + " concurrent streams on 1 connection", CONCURRENCY * PER_WORKER,
                    concurrent(server, h2));
            report("http/1.1, " + CONCURRENCY + " connections", CONCURRENCY * PER_WORKER, concurrent(server, h1));
        }
    }

    private static HttpClient client(SecureServer server, HttpClient.Version version) {
        return HttpClient.newBuilder().version(version)
                .sslContext(TlsContexts.client(server.server().pki().caCertificate(), server.server().pki().admin()))
                .build();
    }

    private record Run(long elapsedNanos, long[] latencies) {
    }

    private static Run sequential(SecureServer server, HttpClient client, int count) throws Exception {
        long[] latencies = new long[count];
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.server().url() + PATH)).build();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            latencies[i] = System.nanoTime() - t;
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return new Run(System.nanoTime() - start, latencies);
    }

    /** CONCURRENCY threads each send PER_WORKER requests one after the other through the same client. */
    private static Run concurrent(SecureServer server, HttpClient client) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.server().url() + PATH)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            long[] latencies = new long[CONCURRENCY * PER_WORKER];
            List<Future<?>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < CONCURRENCY; w++) {
                int offset = w * PER_WORKER;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < PER_WORKER; i++) {
                        long t = System.nanoTime();
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        latencies[offset + i] = System.nanoTime() - t;
                        assertThat(response.statusCode()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            return new Run(System.nanoTime() - start, latencies);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(String name, int requests, Run run) {
        long[] sorted = run.latencies().clone();
        Arrays.sort(sorted);
        System.out.printf("BENCH %-45s %6d requests  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n", name, requests,
                requests / (run.elapsedNanos() / 1e9), sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}
