package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.apiserver.pki.Pem;
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

    @Mixin
    ApiServingOptions serving;

    @Option(names = "--scheduler-config", paramLabel = "FILE",
            description = "a KubeSchedulerConfiguration for the scheduler")
    Path schedulerConfig;

    @Mixin
    SecurityFlags security;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    WorkerOptions worker;

    @Option(names = "--disable-agent", description = "run the master alone, without a local worker")
    boolean disableAgent;

    @Override
    public Integer call() throws Exception {
        if (storeOptions.dataDir() == null) {
            throw new IllegalArgumentException("needs --data-dir DIR (where the server keeps its state)");
        }
        worker.evictionThresholds(); // a bad flag is refused before anything starts
        worker.externalRuntimeSocket();
        if (!disableAgent) {
            WorkerNode.requireNodeHost(); // before the master starts: a host the node cannot run on is refused at once
        }
        java.time.Duration metricResolution = metrics.resolution();
        new Components().runUntilStopped(components -> {
            ApiServer api = ApiServerCommand.start(components, storeOptions, serving, worker.serviceCidr,
                    security, metricResolution);
            Path dataDir = storeOptions.dataDir();
            // each component has its own identity, as it would in its own process
            KubernetesClient scheduler = components.add(ClusterClients.fromKubeconfig(
                    dataDir.resolve("kube-scheduler.kubeconfig"), ClusterClients.SCHEDULER));
            components.add(SchedulerCommand.start(scheduler, schedulerConfig, true, 0));
            KubernetesClient controllers = components.add(ClusterClients.fromKubeconfig(
                    dataDir.resolve("kube-controller-manager.kubeconfig"), ClusterClients.CONTROLLER_MANAGER));
            components.add(ControllerManagerCommand.start(controllers, new ControllerManagerOptions()
                    .clusterCidr(worker.clusterCidr)
                    .rootCaPem(Pem.certificate(api.pki().caCertificate()))
                    // upstream's --cluster-signing-cert-file/-key-file: the CSR signer issues with the cluster CA
                    .clusterSigning(java.nio.file.Files.readString(api.pki().caFile()),
                            java.nio.file.Files.readString(api.pki().caFile().resolveSibling("ca.key")))));
            if (!disableAgent) {
                Path kubeletKubeconfig = Kubeconfigs.write(dataDir.resolve("kubelet.kubeconfig"), api.url(),
                        api.pki().caCertificate(), api.pki().kubelet(worker.nodeName()));
                KubernetesClient kubelet = components.add(ClusterClients.fromKubeconfig(kubeletKubeconfig, ClusterClients.KUBELET));
                KubernetesClient proxy = components.add(ClusterClients.fromKubeconfig(
                        dataDir.resolve("kube-proxy.kubeconfig"), ClusterClients.PROXY));
                // the local kubelet's serving certificate comes straight from the cluster CA (a joined agent's by CSR)
                io.kube4j.apiserver.pki.CertifiedKey kubeletServing = api.pki().kubeletServing(worker.nodeName(),
                        java.util.List.of(io.kube4j.kubelet.nodestatus.MachineInfo.internalIp()));
                WorkerNode.start(components, kubelet, proxy, worker, dataDir,
                        Map.of("node-role.kubernetes.io/control-plane", "true"),
                        new io.kube4j.kubelet.server.ServingTls(java.util.List.of(kubeletServing.certificate()),
                                kubeletServing.key(), api.pki().caCertificate()));
            }
            System.err.println("kube4j server: API serving TLS on " + serving.bindAddress + ":" + api.port()
                    + " (store: " + storeOptions.describe() + ")");
            System.err.println("kube4j server: try  kubectl --kubeconfig " + api.kubeconfig() + " get namespaces");
        });
        return 0;
    }
}
