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

    @Option(names = "--port", description = "API port (default: ${DEFAULT-VALUE})", defaultValue = "6443")
    int port;

    @Option(names = "--bind-address", description = "address the API listens on (default: ${DEFAULT-VALUE})",
            defaultValue = "127.0.0.1")
    String bindAddress;

    @Option(names = "--advertise-address", paramLabel = "IP", description = "address pods and other hosts reach the "
            + "API on, published as the endpoints of Service default/kubernetes (default: --bind-address when it is a "
            + "concrete non-loopback address, else the node's InternalIP)")
    String advertiseAddress;

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
            ApiServer api = start(components, storeOptions, bindAddress, advertiseAddress, port, serviceCidr,
                    security, metricResolution);
            System.err.println("kube4j apiserver: serving TLS on " + bindAddress + ":" + api.port()
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
    static ApiServer start(Components components, StoreOptions storeOptions, String bindAddress,
                           String advertiseAddress, int port, String serviceCidr, SecurityFlags security,
                           java.time.Duration metricResolution) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is not a TCP port (1-65535)");
        }
        try {
            io.kube4j.apiserver.registry.allocation.ClusterIpAllocator.checkCidr(serviceCidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--service-cidr: " + e.getMessage(), e);
        }
        // flags are checked before anything is opened or written
        String advertise = advertiseAddress(advertiseAddress, bindAddress);
        io.kube4j.apiserver.SecurityOptions secure = security.options(storeOptions.dataDir(), bindAddress);
        // the serving certificate names the advertise address too: pods verify it through the kubernetes Service
        java.util.List<String> nodeAddresses = new java.util.ArrayList<>(secure.nodeAddresses());
        nodeAddresses.add(advertise);
        secure = secure.withNodeAddresses(nodeAddresses);
        Store store = components.add(storeOptions.open());
        ApiServerConfig config = ApiServerConfig.defaults(store, new InetSocketAddress(bindAddress, port),
                storeOptions.dataDir()).withSecurity(secure).withAdvertiseAddress(advertise)
                .withMetricResolution(metricResolution).withServiceCidr(serviceCidr);
        return components.add(ApiServer.start(config));
    }

    /**
     * {@code --advertise-address} as given (an IP literal), else the bind address when it is a concrete non-loopback
     * address, else the node's InternalIP: the address the kubelet publishes and the proxy routes pods to.
     */
    static String advertiseAddress(String flag, String bindAddress) {
        if (flag != null && !flag.isBlank()) {
            if (!isIpLiteral(flag.trim())) {
                throw new IllegalArgumentException("--advertise-address " + flag + " is not an IP address");
            }
            java.net.InetAddress a = literal(flag.trim());
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("--advertise-address " + flag + " is the wildcard address: "
                        + "give the address others reach this server on");
            }
            return a.getHostAddress();
        }
        if (isIpLiteral(bindAddress)) {
            java.net.InetAddress bind = literal(bindAddress);
            if (!bind.isAnyLocalAddress() && !bind.isLoopbackAddress()) {
                return bind.getHostAddress();
            }
        }
        return io.kube4j.kubelet.nodestatus.MachineInfo.internalIp();
    }

    private static boolean isIpLiteral(String s) {
        // an IP literal only: a name would be resolved (DNS) and is not what the flag takes
        return s.matches("[0-9.]+") && s.split("\\.", -1).length == 4 || s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }

    private static java.net.InetAddress literal(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s + " is not an IP address", e);
        }
    }
}
