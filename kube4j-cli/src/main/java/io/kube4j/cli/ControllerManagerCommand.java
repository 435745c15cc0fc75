package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.api.protobuf.GoTime;
import io.kube4j.controllers.ControllerManagerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kube4j controller-manager}: the control loops alone, talking to an API server through a kubeconfig. */
@Command(name = "controller-manager", description = "Run the controller manager (the control loops).",
        mixinStandardHelpOptions = true)
final class ControllerManagerCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "how to reach the API server")
    Path kubeconfig;

    @Option(names = "--controllers", split = ",", paramLabel = "NAME",
            description = "controllers to run: '*' (default) for all, NAME to add, -NAME to leave one out")
    List<String> controllers = List.of("*");

    @Option(names = "--leader-elect", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "elect a leader through a Lease so several controller managers can run (default: ${DEFAULT-VALUE})")
    boolean leaderElect;

    @Option(names = "--use-service-account-credentials", negatable = true, defaultValue = "true",
            fallbackValue = "true",
            description = "run each controller as its own kube-system service account, with a TokenRequest token "
                    + "(default: ${DEFAULT-VALUE})")
    boolean useServiceAccountCredentials;

    @Option(names = "--cluster-cidr", defaultValue = "10.42.0.0/16",
            description = "pod network; each node gets a /24 of it (default: ${DEFAULT-VALUE})")
    String clusterCidr;

    @Option(names = "--node-monitor-grace-period", defaultValue = "40",
            description = "seconds without a node Lease renewal before the node is NotReady (default: ${DEFAULT-VALUE})")
    long nodeMonitorGracePeriodSeconds;

    @Option(names = "--horizontal-pod-autoscaler-sync-period", defaultValue = "15s", paramLabel = "DURATION",
            description = "how often each HorizontalPodAutoscaler is synced, e.g. 15s, 1m (default: ${DEFAULT-VALUE})")
    String hpaSyncPeriod;

    @Option(names = "--resource-quota-sync-period", defaultValue = "5m0s", paramLabel = "DURATION",
            description = "how often every ResourceQuota's usage is recounted in full (default: ${DEFAULT-VALUE})")
    String resourceQuotaSyncPeriod;

    @Option(names = "--horizontal-pod-autoscaler-tolerance", defaultValue = "0.1", paramLabel = "RATIO",
            description = "how far the metric may be from its target before the HPA scales (default: ${DEFAULT-VALUE})")
    double hpaTolerance;

    @Option(names = "--root-ca-file", paramLabel = "FILE",
            description = "the cluster CA (DATA/tls/ca.crt), published to every namespace as ConfigMap kube-root-ca.crt")
    Path rootCaFile;

    @Option(names = "--cluster-signing-cert-file", paramLabel = "FILE",
            description = "the CA certificate (PEM) that signs approved kubelet and client CSRs (DATA/tls/ca.crt)")
    Path clusterSigningCertFile;

    @Option(names = "--cluster-signing-key-file", paramLabel = "FILE",
            description = "the private key (PEM) of --cluster-signing-cert-file (DATA/tls/ca.key)")
    Path clusterSigningKeyFile;

    @Override
    public Integer call() throws Exception {
        ControllerManagerOptions options = options();
        new Components().runUntilStopped(components -> {
            KubernetesClient client = components.add(ClusterClients.fromKubeconfig(kubeconfig, ClusterClients.CONTROLLER_MANAGER));
            components.add(start(client, options));
            System.err.println("kube4j controller-manager: running");
        });
        return 0;
    }

    ControllerManagerOptions options() {
        if (nodeMonitorGracePeriodSeconds <= 0) {
            throw new IllegalArgumentException("--node-monitor-grace-period must be a positive number of seconds");
        }
        Duration hpaPeriod = period("--horizontal-pod-autoscaler-sync-period", hpaSyncPeriod);
        Duration quotaPeriod = period("--resource-quota-sync-period", resourceQuotaSyncPeriod);
        if (!(hpaTolerance >= 0 && hpaTolerance < 1)) {
            throw new IllegalArgumentException("--horizontal-pod-autoscaler-tolerance must be at least 0 and below 1");
        }
        String rootCa = null;
        if (rootCaFile != null) {
            try {
                rootCa = java.nio.file.Files.readString(rootCaFile);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read --root-ca-file " + rootCaFile + ": " + e.getMessage());
            }
        }
        if ((clusterSigningCertFile == null) != (clusterSigningKeyFile == null)) {
            throw new IllegalArgumentException("--cluster-signing-cert-file and --cluster-signing-key-file go together");
        }
        String signingCert = null;
        String signingKey = null;
        if (clusterSigningCertFile != null) {
            try {
                signingCert = java.nio.file.Files.readString(clusterSigningCertFile);
                signingKey = java.nio.file.Files.readString(clusterSigningKeyFile);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the cluster signing certificate or key: "
                        + e.getMessage());
            }
        }
        return new ControllerManagerOptions()
                .rootCaPem(rootCa)
                .clusterSigning(signingCert, signingKey)
                .controllers(new LinkedHashSet<>(controllers))
                .leaderElect(leaderElect)
                .useServiceAccountCredentials(useServiceAccountCredentials)
                .clusterCidr(clusterCidr)
                .nodeMonitorGracePeriod(Duration.ofSeconds(nodeMonitorGracePeriodSeconds))
                .hpaSyncPeriod(hpaPeriod)
                .hpaTolerance(hpaTolerance)
                .resourceQuotaSyncPeriod(quotaPeriod);
    }

    /** A sync period flag's value: a Go duration of at least a second, or one line that says what to pass. */
    private static Duration period(String flag, String value) {
        Duration period;
        try {
            period = Duration.ofNanos(GoTime.parseDuration(value));
        } catch (IllegalArgumentException e) {
            period = Duration.ZERO;
        }
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(flag + " " + value + " is not a duration of at least 1s, such as 15s or 1m");
        }
        return period;
    }

    static ControllerManager start(KubernetesClient client, ControllerManagerOptions options) {
        return ControllerManager.start(client, options);
    }
}
