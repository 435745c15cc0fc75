package io.kube4j.apiserver;

import io.kube4j.store.Store;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.apiserver.registry.allocation.ClusterIpAllocator;
import java.time.Duration;

/**
 * How to run the API server. {@code dataDir} receives {@code admin.kubeconfig}; it may be null to write none.
 * {@code bookmarkInterval} is how often idle watches get a BOOKMARK; {@code watchCacheCapacity} how many events
 * per resource are kept in memory for watches that resume.
 * <p>
 * {@code security} null is <em>insecure serving</em>, like upstream's old insecure port: plain HTTP, no
 * authentication, every request allowed (it runs as {@code system:unsecured} in {@code system:masters}). It exists
 * for in-process tests and benchmarks of other modules. The {@code kube4j} command always serves securely
 * ({@link #withSecurity}): TLS, authentication, authorization and admission.
 * {@code metricResolution} is how often the nodes' kubelets are scraped for {@code metrics.k8s.io} (metrics-server's
 * {@code --metric-resolution}). {@code serviceCidr} is the range Service ClusterIPs are allocated from (upstream's
 * {@code --service-cluster-ip-range}); its first address is the {@code kubernetes} Service's.
 */
public record ApiServerConfig(Store store, InetSocketAddress bind, Path dataDir, int maxBodyBytes, int workerThreads,
                              Duration bookmarkInterval, int watchCacheCapacity, SecurityOptions security,
                              String advertiseAddress, Duration metricResolution, String serviceCidr,
                              int concurrencyLimit) {

    /** metrics-server's default {@code --metric-resolution}. */
    public static final Duration DEFAULT_METRIC_RESOLUTION = Duration.ofSeconds(15);

    /** Upstream's limit on request bodies. */
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

    /** Insecure serving (see the class comment). */
    public static ApiServerConfig defaults(Store store, InetSocketAddress bind, Path dataDir) {
        return new ApiServerConfig(store, bind, dataDir, DEFAULT_MAX_BODY_BYTES,
                Math.max(16, Runtime.getRuntime().availableProcessors() * 8), Duration.ofSeconds(10), 10_000, null, null,
                DEFAULT_METRIC_RESOLUTION, Resources.SERVICE_CIDR,
                io.kube4j.apiserver.flowcontrol.FlowControl.DEFAULT_CONCURRENCY_LIMIT);
    }

    public ApiServerConfig withBookmarkInterval(Duration interval) {
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, interval, watchCacheCapacity,
                security, advertiseAddress, metricResolution, serviceCidr, concurrencyLimit);
    }

    /** How many recent events each resource's watch cache keeps for watches that resume. */
    public ApiServerConfig withWatchCacheCapacity(int capacity) {
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval, capacity,
                security, advertiseAddress, metricResolution, serviceCidr, concurrencyLimit);
    }

    /** Serve TLS only, with authentication, authorization and admission; needs a data directory. */
    public ApiServerConfig withSecurity(SecurityOptions options) {
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval,
                watchCacheCapacity, options, advertiseAddress, metricResolution, serviceCidr, concurrencyLimit);
    }

    /**
     * The address other hosts and pods reach this server on (upstream's {@code --advertise-address}): published in
     * the Endpoints and EndpointSlice of Service {@code default/kubernetes}, and listened on too (same port) unless
     * {@code bind} is the wildcard or already this address. Null: no endpoints are published.
     */
    public ApiServerConfig withAdvertiseAddress(String address) {
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval,
                watchCacheCapacity, security, address, metricResolution, serviceCidr, concurrencyLimit);
    }

    /** How often every Ready node's kubelet is scraped for {@code metrics.k8s.io}; positive. */
    public ApiServerConfig withMetricResolution(Duration resolution) {
        if (resolution == null || resolution.isNegative() || resolution.isZero()) {
            throw new IllegalArgumentException("the metric resolution must be a positive duration, not " + resolution);
        }
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval,
                watchCacheCapacity, security, advertiseAddress, resolution, serviceCidr, concurrencyLimit);
    }

    /** The range ClusterIPs come from, an IPv4 CIDR of /12 to /29 (checked here, before anything starts). */
    public ApiServerConfig withServiceCidr(String cidr) {
        ClusterIpAllocator.checkCidr(cidr);
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval,
                watchCacheCapacity, security, advertiseAddress, metricResolution, cidr, concurrencyLimit);
    }

    /**
     * The seats API Priority and Fairness shares among the priority levels (upstream's --max-requests-inflight plus
     * --max-mutating-requests-inflight, 400 + 200 by default); positive.
     */
    public ApiServerConfig withConcurrencyLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the concurrency limit must be positive, not " + limit);
        }
        return new ApiServerConfig(store, bind, dataDir, maxBodyBytes, workerThreads, bookmarkInterval,
                watchCacheCapacity, security, advertiseAddress, metricResolution, serviceCidr, limit);
    }

    public boolean secure() {
        return security != null;
    }
}
