package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.crd.CrdController;
import io.kube4j.apiserver.endpoints.ApiHandler;
import io.kube4j.apiserver.endpoints.ResourceHandler;
import io.kube4j.apiserver.http.HttpServer;
import io.kube4j.apiserver.metrics.ApiMetrics;
import io.kube4j.apiserver.registry.Compactor;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kube4j API server: the Kubernetes REST API over a {@link Store}. Start it with {@link #start}; it serves
 * until {@link #close}. The store stays the caller's to close.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HttpServer http;
    private final Resources resources;
    private final ScheduledExecutorService timers;
    private final Path kubeconfig;
    private final CrdController crdController;

    private ApiServer(HttpServer http, Resources resources, ScheduledExecutorService timers, Path kubeconfig,
                      CrdController crdController) {
        this.crdController = crdController;
        this.http = http;
        this.resources = resources;
        this.timers = timers;
        this.kubeconfig = kubeconfig;
    }

    /** Serves the API on {@code bind} and writes {@code dataDir/admin.kubeconfig} (if dataDir is not null). */
    public static ApiServer start(Store store, InetSocketAddress bind, Path dataDir) {
        return start(ApiServerConfig.defaults(store, bind, dataDir));
    }

    public static ApiServer start(ApiServerConfig config) {
        ResourceRegistry registry = ResourceRegistry.builtin();
        Resources resources = new Resources(registry, config.store(), Clock.systemUTC(),
                config.watchCacheCapacity());
        CrdController crdController = CrdController.start(registry, resources, config.store());
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("apiserver-timer"));
        HttpServer http = null;
        try {
            ApiMetrics metrics = new ApiMetrics(resources::watchCount);
            ResourceHandler resourceHandler = new ResourceHandler(resources, config.store(), timers);
            int[] port = {0};
            ApiHandler handler = new ApiHandler(registry, resourceHandler, metrics, () -> "127.0.0.1:" + port[0]);
            http = HttpServer.start(config.bind(), handler,
                    Executors.newFixedThreadPool(config.workerThreads(), daemon("apiserver-worker")),
                    config.maxBodyBytes(), null);
            port[0] = http.port();
            Bootstrap.run(resources, http.port());
            long interval = config.bookmarkInterval().toMillis();
            timers.scheduleWithFixedDelay(resources::progressAll, interval, interval, TimeUnit.MILLISECONDS);
            Compactor.schedule(config.store(), timers, Compactor.DEFAULT_INTERVAL);
            Path kubeconfig = null;
            if (config.dataDir() != null) {
                kubeconfig = Kubeconfig.write(config.dataDir(), "http://127.0.0.1:" + http.port());
            }
            LOG.info("API server listening on {}:{}", config.bind().getHostString(), http.port());
            return new ApiServer(http, resources, timers, kubeconfig, crdController);
        } catch (IOException e) {
            crdController.close();
            closeQuietly(http, resources, timers);
            throw new UncheckedIOException("cannot write the admin kubeconfig", e);
        } catch (RuntimeException e) {
            crdController.close();
            closeQuietly(http, resources, timers);
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    /** The admin kubeconfig written at start, or null if there was no data directory. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        crdController.close();
        closeQuietly(http, resources, timers);
    }

    private static void closeQuietly(HttpServer http, Resources resources, ScheduledExecutorService timers) {
        timers.shutdownNow();
        if (http != null) {
            http.close();
        }
        resources.close();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
