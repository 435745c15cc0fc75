package io.kube4j.cli;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The clients ClusterClients builds share one pool of named threads, which closing one client does not stop. */
class ApiClientThreadsTest {
    private HttpServer api;
    private Path kubeconfig;

    @BeforeEach
    void startApi(@TempDir Path dir) throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/api/v1/namespaces/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/api/v1/namespaces/".length());
            byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: c
                  context:
                    cluster: c
                    user: u
                current-context: c
                users:
                - name: u
                  user: {}
                """.formatted(api.getAddress().getPort()));
    }

    @AfterEach
    void stopApi() {
        api.stop(0);
    }

    @Test
    void clientsRunOnTheSharedNamedPoolAndClosingOneLeavesItToTheOthers() throws Exception {
        Set<String> fabric8PoolsBefore = fabric8PoolThreads();
        KubernetesClient first = ClusterClients.fromKubeconfig(kubeconfig, WorkerSerialization.create(), ClusterClients.KUBELET);
        KubernetesClient second = ClusterClients.fromKubeconfig(kubeconfig, WorkerSerialization.create(), ClusterClients.KUBELET);
        try {
            assertThat(first.namespaces().withName("one").get().getMetadata().getName()).isEqualTo("one");
            // an async stage runs on the client's task executor: it is the shared pool
            Set<String> ran = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(1);
            ((io.fabric8.kubernetes.client.impl.BaseClient) first).getExecutor().execute(() -> {
                ran.add(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).singleElement().asString().startsWith("api-client-");
            assertThat(((io.fabric8.kubernetes.client.impl.BaseClient) second).getExecutor())
                    .isSameAs(((io.fabric8.kubernetes.client.impl.BaseClient) first).getExecutor());

            first.close();
            assertThat(ApiClientThreads.executor().isShutdown()).isFalse();
            Namespace two = second.namespaces().withName("two").get();
            assertThat(two.getMetadata().getName()).isEqualTo("two");
            // fabric8's per-client pools were not made (other tests' clients may have left threads of their own)
            assertThat(fabric8PoolThreads()).isSubsetOf(fabric8PoolsBefore);
        } finally {
            first.close();
            second.close();
        }
    }

    /** Threads of fabric8's own pools: its HTTP client factory's, and its task executor's (an anonymous class's). */
    private static Set<String> fabric8PoolThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("JdkHttpClientFactory-") || n.matches("-\\d+-pool-\\d+-thread-\\d+"))
                .collect(java.util.stream.Collectors.toSet());
    }
}
