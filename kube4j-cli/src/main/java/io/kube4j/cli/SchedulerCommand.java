package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kube4j scheduler}: the scheduler alone, talking to an API server through a kubeconfig. */
@Command(name = "scheduler", description = "Run the scheduler (assigns pods to nodes).", mixinStandardHelpOptions = true)
final class SchedulerCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "how to reach the API server")
    Path kubeconfig;

    @Option(names = "--config", paramLabel = "FILE", description = "a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)")
    Path config;

    @Option(names = "--leader-elect", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "elect a leader through a Lease so several schedulers can run (default: ${DEFAULT-VALUE})")
    boolean leaderElect;

    @Option(names = "--metrics-port", description = "serve /metrics and /healthz on this port (default: off)")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        new Components().runUntilStopped(components -> {
            KubernetesClient client = components.add(ClusterClients.fromKubeconfig(kubeconfig, ClusterClients.SCHEDULER));
            components.add(start(client, config, leaderElect, metricsPort));
            System.err.println("kube4j scheduler: running");
        });
        return 0;
    }

    static Scheduler start(KubernetesClient client, Path config, boolean leaderElect, int metricsPort) {
        SchedulerOptions options = SchedulerOptions.defaults();
        if (config != null) {
            options.configFile(config);
        }
        options.leaderElect(leaderElect);
        if (metricsPort > 0) {
            options.metricsPort(metricsPort);
        }
        return Scheduler.start(client, options);
    }
}
