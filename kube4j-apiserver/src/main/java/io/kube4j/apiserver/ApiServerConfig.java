package io.kube4j.apiserver;

import io.kube4j.store.Store;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the API server. {@code dataDir} receives {@code admin.kubeconfig}; it may be null to write none.
 * {@code bookmarkInterval} is how often idle watches get a BOOKMARK; {@code watchCacheCapacity} how many events
 * per resource are kept in memory for watches that resume.
 */
public record ApiServerConfig(Store store, InetSocketAddress bind, Path dataDir, int maxBodyBytes, int workerThreads,
                              Duration bookmarkInterval, int watchCacheCapacity) {

    /** Upstream's limit on request bodies. */
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

    public static ApiServerConfig defaults(Store store, InetSocketAddress bind, Path dataDir) {
        return new ApiServerConfig(store, bind, dataDir, DEFAULT_MAX_BODY_BYTES,
                Math.max(16, Runtime.getRuntime().availableProcessors() * 8), Duration.ofSeconds(10), 10_000);
    }

    public ApiServerConfig withBookmarkInterval(Duration interval) {
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, interval, watchCacheCapacity);
    }

    /** How many recent events each resource's watch cache keeps for watches that resume. */
    public ApiServerConfig withWatchCacheCapacity(int capacity) {
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval, capacity);
    }
}
