package io.kube4j.cli;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kube4j.runtime.util.IdlePools;

import java.util.concurrent.ExecutorService;

/**
 * The threads of every API client {@link ClusterClients} builds in this JVM: one pool for fabric8's task executor
 * (informer handlers, watch reconnects) and for the JDK HTTP client's executor (response bodies, async stages).
 * <p>
 * fabric8 gives each client two cached pools of its own (unnamed {@code -N-pool-M-thread-K} threads for tasks and
 * {@code JdkHttpClientFactory-...} threads for HTTP), each keeping an idle thread 60 s: the agent had 14 + 8 of them
 * after its pods started, idle but each with its stack and JVM thread state. One pool reuses a thread that has just
 * finished either kind of work, and idle threads leave after {@link IdlePools#IDLE_SECONDS} - long enough that the
 * steady state's periodic work (lease renewal every 10 s, node status, resyncs) mostly finds a thread, short enough
 * that a burst's threads (100 pod starts) are gone well before the next minute.
 * <p>
 * Unbounded on purpose, as fabric8's own pools: an informer handler may make a blocking API call whose response this
 * same pool delivers, so a bounded pool (or a queue) could wait on itself.
 */
final class ApiClientThreads {
    private static final ExecutorService POOL = IdlePools.named("api-client");

    private ApiClientThreads() {
    }

    /** The shared pool; clients do not shut it down when they close (other clients keep using it). */
    static ExecutorService executor() {
        return POOL;
    }

    /** fabric8's JDK HTTP client factory, with {@link #executor()} instead of a pool per client. */
    static JdkHttpClientFactory httpClientFactory() {
        return new JdkHttpClientFactory() {
            @Override
            protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
                // not wrapped in fabric8's ShutdownableExecutor: closing one client must not stop the others' pool
                return java.net.http.HttpClient.newBuilder().executor(POOL);
            }
        };
    }
}
