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

    @Mixin
    SecurityFlags security;

    @Override
    public Integer call() throws Exception {
        if (storeOptions.dataDir() == null) {
            throw new IllegalArgumentException("needs --data-dir DIR (where the admin kubeconfig and embedded store go)");
        }
        new Components().runUntilStopped(components -> {
            ApiServer api = start(components, storeOptions, bindAddress, port, security);
            System.err.println("kube4j apiserver: serving TLS on " + bindAddress + ":" + api.port()
                    + " (store: " + storeOptions.describe() + "); kubeconfigs in " + storeOptions.dataDir()
                    + ", certificates in " + storeOptions.dataDir().resolve("tls"));
        });
        return 0;
    }

    /**
     * Opens the store and starts the API server over it, both onto {@code components}. It serves TLS only (plus
     * the loopback insecure port when asked for) and writes the admin and component kubeconfigs to the data dir.
     */
    static ApiServer start(Components components, StoreOptions storeOptions, String bindAddress, int port,
                           SecurityFlags security) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is not a TCP port (1-65535)");
        }
        // flags are checked before anything is opened or written
        io.kube4j.apiserver.SecurityOptions secure = security.options(storeOptions.dataDir(), bindAddress);
        Store store = components.add(storeOptions.open());
        ApiServerConfig config = ApiServerConfig.defaults(store, new InetSocketAddress(bindAddress, port),
                storeOptions.dataDir()).withSecurity(secure);
        return components.add(ApiServer.start(config));
    }
}
