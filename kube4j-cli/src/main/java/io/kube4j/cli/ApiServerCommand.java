package io.kube4j.cli;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.cli.store.StoreOptions;
import io.kube4j.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/**
 * {@code kube4j apiserver}: the API server alone over a store. Several can run over one etcd cluster
 * ({@code --store etcd://...}); the scheduler and controller manager then run as their own processes.
 */
@Command(name = "apiserver", description = "Run the API server alone (over the embedded store or etcd).",
        mixinStandardHelpOptions = true)
final class ApiServerCommand implements Callable<Integer> {

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ApiServingOptions serving;

    @Option(names = "--service-cidr", defaultValue = "10.43.0.0/16", paramLabel = "CIDR",
            description = "Service ClusterIP range (upstream's --service-cluster-ip-range); the agents' --service-cidr "
                    + "must be the same (default: ${DEFAULT-VALUE})")
    String serviceCidr;

    @Mixin
    SecurityFlags security;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws Exception {
        if (storeOptions.dataDir() == null) {
            throw new IllegalArgumentException("needs --data-dir DIR (where the admin kubeconfig and embedded store go)");
        }
        java.time.Duration metricResolution = metrics.resolution(); // a bad flag is refused before anything starts
        new Components().runUntilStopped(components -> {
            ApiServer api = start(components, storeOptions, serving, serviceCidr, security, metricResolution);
            System.err.println("kube4j apiserver: serving TLS on " + serving.bindAddress + ":" + api.port()
                    + " (store: " + storeOptions.describe() + "); kubeconfigs in " + storeOptions.dataDir()
                    + ", certificates in " + storeOptions.dataDir().resolve("tls"));
        });
        return 0;
    }

    /**
     * Opens the store and starts the API server over it, both onto {@code components}. It serves TLS only (plus
     * the loopback insecure port when asked for) and writes the admin and component kubeconfigs to the data dir.
     * {@code metricResolution} is how often it scrapes the kubelets for metrics.k8s.io (--metric-resolution);
     * {@code serviceCidr} is the ClusterIP range (--service-cidr).
     */
    static ApiServer start(Components components, StoreOptions storeOptions, ApiServingOptions serving,
                           String serviceCidr, SecurityFlags security, java.time.Duration metricResolution) {
        int port = serving.checkedPort();
        int concurrencyLimit = serving.concurrencyLimit();
        String bindAddress = serving.bindAddress;
        try {
            io.kube4j.apiserver.registry.allocation.ClusterIpAllocator.checkCidr(serviceCidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--service-cidr: " + e.getMessage(), e);
        }
        // flags are checked before anything is opened or written
        String advertise = serving.advertised();
        io.kube4j.apiserver.SecurityOptions secure = security.options(storeOptions.dataDir(), bindAddress);
        // the serving certificate names the advertise address too: pods verify it through the kubernetes Service
        java.util.List<String> nodeAddresses = new java.util.ArrayList<>(secure.nodeAddresses());
        nodeAddresses.add(advertise);
        secure = secure.withNodeAddresses(nodeAddresses);
        Store store = components.add(storeOptions.open());
        ApiServerConfig config = ApiServerConfig.defaults(store, new InetSocketAddress(bindAddress, port),
                storeOptions.dataDir()).withSecurity(secure).withAdvertiseAddress(advertise)
                .withMetricResolution(metricResolution).withServiceCidr(serviceCidr)
                .withConcurrencyLimit(concurrencyLimit);
        return components.add(ApiServer.start(config));
    }
}
