package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.cli.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kube4j server}: every master component in one JVM (and, once the worker exists, a local worker),
 * as other lightweight distributions do. The components still talk to each other only over the API.
 */
@Command(name = "server", description = "Run a master (store, API server, scheduler, controller manager) in one process.",
        mixinStandardHelpOptions = true)
final class ServerCommand implements Callable<Integer> {

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--port", description = "API port on 127.0.0.1 (default: ${DEFAULT-VALUE})", defaultValue = "6443")
    int port;

    @Option(names = "--bind-address", description = "address the API listens on (default: ${DEFAULT-VALUE})",
            defaultValue = "127.0.0.1")
    String bindAddress;

    @Option(names = "--scheduler-config", paramLabel = "FILE",
            description = "a KubeSchedulerConfiguration for the scheduler")
    Path schedulerConfig;

    @Mixin
    WorkerOptions worker;

    @Option(names = "--disable-agent", description = "run the master alone, without a local worker")
    boolean disableAgent;

    @Override
    public Integer call() throws Exception {
        if (storeOptions.dataDir() == null) {
            throw new IllegalArgumentException("needs --data-dir DIR (where the server keeps its state)");
        }
        new Components().runUntilStopped(components -> {
            ApiServer api = ApiServerCommand.start(components, storeOptions, bindAddress, port);
            KubernetesClient client = components.add(ClusterClients.fromKubeconfig(api.kubeconfig()));
            components.add(SchedulerCommand.start(client, schedulerConfig, true, 0));
            components.add(ControllerManagerCommand.start(client, new ControllerManagerOptions()
                    .clusterCidr(worker.clusterCidr)));
            if (!disableAgent) {
                WorkerNode.start(components, client, worker, storeOptions.dataDir(),
                        Map.of("node-role.kubernetes.io/control-plane", "true"));
            }
            System.err.println("kube4j server: API serving on " + bindAddress + ":" + api.port()
                    + " (store: " + storeOptions.describe() + ")");
            System.err.println("kube4j server: try  kubectl --kubeconfig " + api.kubeconfig() + " get namespaces");
        });
        return 0;
    }
}
