package io.kube4j.controllers.clientbuilder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The controllers' service accounts are created concurrently at start, at most {@link
 * ServiceAccountClientBuilder#PARALLEL_CREATES} at once, against a fake API server on loopback that answers the list
 * and the creates and records how many creates it holds at the same time.
 */
class ServiceAccountPrepareTest {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    private HttpServer server;
    private ExecutorService serverThreads;
    private KubernetesClient root;
    /** Names the list answers with (already there). */
    private final List<String> existing = new ArrayList<>();
    /** Names whose create answers 409 AlreadyExists although the list did not show them (a racing manager). */
    private final List<String> racing = new ArrayList<>();
    /** Names whose create fails with a 500. */
    private final List<String> failing = new ArrayList<>();
    private final Map<String, AtomicInteger> creates = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** Creates wait here until this many are in flight together (or a generous time has passed). */
    private volatile CountDownLatch together = new CountDownLatch(0);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/api/v1/namespaces/kube-system/serviceaccounts", this::serve);
        server.start();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0).build();
        root = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        root.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET")) {
                StringBuilder items = new StringBuilder();
                for (String name : existing) {
                    items.append(items.isEmpty() ? "" : ",").append(account(name));
                }
                answer(exchange, 200, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccountList\",\"metadata\":"
                        + "{\"resourceVersion\":\"1\"},\"items\":[" + items + "]}");
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestURI().getPath().endsWith("/token")) {
                answer(exchange, 201, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                        + "\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\"}}");
                return;
            }
            Matcher m = NAME.matcher(body);
            String name = m.find() ? m.group(1) : "";
            creates.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                CountDownLatch latch = together;
                latch.countDown();
                // sequential creates would never fill the latch: the wait ends at its timeout and the test fails
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            if (racing.contains(name)) {
                answer(exchange, 409, status(409, "AlreadyExists", "serviceaccounts \"" + name
                        + "\" already exists"));
            } else if (failing.contains(name)) {
                answer(exchange, 500, status(500, "InternalError", "etcd is down"));
            } else {
                answer(exchange, 201, account(name));
            }
        }
    }

    private static String account(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"kube-system\"}}";
    }

    private static String status(int code, String reason, String message) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":" + code
                + ",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}";
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("controller-" + i);
        }
        return names;
    }

    @Test
    void missingAccountsAreCreatedConcurrentlyAndNoMoreThanTheBoundAtOnce() {
        List<String> wanted = names(3 * ServiceAccountClientBuilder.PARALLEL_CREATES);
        existing.add(wanted.get(0));
        racing.add(wanted.get(1));
        together = new CountDownLatch(ServiceAccountClientBuilder.PARALLEL_CREATES);
        ServiceAccountClientBuilder builder = new ServiceAccountClientBuilder(root, Duration.ofHours(1),
                Clock.systemUTC());

        builder.prepare(wanted);

        assertThat(maxInFlight.get()).isEqualTo(ServiceAccountClientBuilder.PARALLEL_CREATES);
        assertThat(creates.keySet()).containsExactlyInAnyOrderElementsOf(wanted.subList(1, wanted.size()));
        assertThat(creates.values()).allMatch(count -> count.get() == 1);

        // prepared accounts are not asked about again when their clients are built
        builder.clientFor(wanted.get(1));
        builder.clientFor(wanted.get(5));
        assertThat(creates.get(wanted.get(1)).get()).isEqualTo(1);
        assertThat(creates.get(wanted.get(5)).get()).isEqualTo(1);
        builder.close();
    }

    @Test
    void aFailedCreateFailsThePreparationAfterTheOthersEnd() {
        List<String> wanted = names(4);
        failing.add(wanted.get(2));
        ServiceAccountClientBuilder builder = new ServiceAccountClientBuilder(root, Duration.ofHours(1),
                Clock.systemUTC());

        assertThatThrownBy(() -> builder.prepare(wanted)).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(500));
        assertThat(creates.keySet()).containsExactlyInAnyOrderElementsOf(wanted);
        builder.close();
    }
}
