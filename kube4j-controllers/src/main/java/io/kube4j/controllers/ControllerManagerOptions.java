package io.kube4j.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.podautoscaler.PodMetricsSource;
import io.kube4j.controllers.podautoscaler.ResourceMetricsApi;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Flags of the controller manager; defaults follow kube-controller-manager 1.32. */
public final class ControllerManagerOptions {
    /** "*" enables every controller; "-name" disables one, as upstream's --controllers. */
    private Set<String> controllers = new LinkedHashSet<>(Set.of("*"));
    private boolean leaderElect = true;
    private String leaderElectionNamespace = "kube-system";
    private String leaderElectionName = "kube-controller-manager";
    private String identity = defaultIdentity();
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration renewDeadline = Duration.ofSeconds(10);
    private Duration retryPeriod = Duration.ofSeconds(2);
    private int concurrentSyncs = 5;
    private int concurrentGcSyncs = 20;
    private Duration nodeMonitorGracePeriod = Duration.ofSeconds(40);
    private Duration nodeMonitorPeriod = Duration.ofSeconds(5);
    private String clusterCidr = "10.42.0.0/16";
    private int nodeCidrMaskSize = 24;
    private String rootCaPem;
    private String clusterSigningCertPem;
    private String clusterSigningKeyPem;
    private Clock clock = Clock.systemUTC();
    private Duration informerSyncTimeout = Duration.ofSeconds(60);
    private Duration resyncPeriod = Duration.ZERO;
    private int terminatedPodGcThreshold = 12500;
    private Duration jobBackoffBase = Duration.ofSeconds(10);
    private Duration hpaSyncPeriod = Duration.ofSeconds(15);
    /** Upstream's --resource-quota-sync-period: every quota is counted again this often. */
    private Duration resourceQuotaSyncPeriod = Duration.ofMinutes(5);
    private double hpaTolerance = 0.1;
    private Function<KubernetesClient, PodMetricsSource> hpaMetrics =
            ResourceMetricsApi::new;
    private boolean useServiceAccountCredentials = true;
    private Duration serviceAccountTokenLifetime = Duration.ofHours(1);

    private static String defaultIdentity() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }

    public Set<String> controllers() { return controllers; }
    /**
     * @throws IllegalArgumentException for a name no controller has, in upstream's words (its --controllers check):
     *                                  a misspelt name would otherwise run nothing without a word
     */
    public ControllerManagerOptions controllers(Set<String> v) {
        for (String entry : v) {
            String name = entry.startsWith("-") ? entry.substring(1) : entry;
            if (!name.equals("*") && Controllers.all().stream().noneMatch(d -> d.name().equals(name))) {
                throw new IllegalArgumentException("\"" + name + "\" is not in the list of known controllers");
            }
        }
        controllers = new LinkedHashSet<>(v);
        return this;
    }
    public boolean leaderElect() { return leaderElect; }
    public ControllerManagerOptions leaderElect(boolean v) { leaderElect = v; return this; }
    public String leaderElectionNamespace() { return leaderElectionNamespace; }
    public ControllerManagerOptions leaderElectionNamespace(String v) { leaderElectionNamespace = v; return this; }
    public String leaderElectionName() { return leaderElectionName; }
    public ControllerManagerOptions leaderElectionName(String v) { leaderElectionName = v; return this; }
    public String identity() { return identity; }
    public ControllerManagerOptions identity(String v) { identity = v; return this; }
    public Duration leaseDuration() { return leaseDuration; }
    public ControllerManagerOptions leaseDuration(Duration v) { leaseDuration = v; return this; }
    public Duration renewDeadline() { return renewDeadline; }
    public ControllerManagerOptions renewDeadline(Duration v) { renewDeadline = v; return this; }
    public Duration retryPeriod() { return retryPeriod; }
    public ControllerManagerOptions retryPeriod(Duration v) { retryPeriod = v; return this; }
    public int concurrentSyncs() { return concurrentSyncs; }
    public ControllerManagerOptions concurrentSyncs(int v) { concurrentSyncs = v; return this; }
    public int concurrentGcSyncs() { return concurrentGcSyncs; }
    public ControllerManagerOptions concurrentGcSyncs(int v) { concurrentGcSyncs = v; return this; }
    public Duration nodeMonitorGracePeriod() { return nodeMonitorGracePeriod; }
    public ControllerManagerOptions nodeMonitorGracePeriod(Duration v) { nodeMonitorGracePeriod = v; return this; }
    public Duration nodeMonitorPeriod() { return nodeMonitorPeriod; }
    public ControllerManagerOptions nodeMonitorPeriod(Duration v) { nodeMonitorPeriod = v; return this; }
    public String clusterCidr() { return clusterCidr; }
    public ControllerManagerOptions clusterCidr(String v) { clusterCidr = v; return this; }
    public int nodeCidrMaskSize() { return nodeCidrMaskSize; }
    public ControllerManagerOptions nodeCidrMaskSize(int v) { nodeCidrMaskSize = v; return this; }
    /** The CA the csrsigning controller signs with (--cluster-signing-cert-file / -key-file); null: no signer. */
    public ControllerManagerOptions clusterSigning(String certPem, String keyPem) {
        clusterSigningCertPem = certPem;
        clusterSigningKeyPem = keyPem;
        return this;
    }
    public String clusterSigningCertPem() { return clusterSigningCertPem; }
    public String clusterSigningKeyPem() { return clusterSigningKeyPem; }
    public String rootCaPem() { return rootCaPem; }
    public ControllerManagerOptions rootCaPem(String v) { rootCaPem = v; return this; }
    public Clock clock() { return clock; }
    public ControllerManagerOptions clock(Clock v) { clock = v; return this; }
    public Duration informerSyncTimeout() { return informerSyncTimeout; }
    public ControllerManagerOptions informerSyncTimeout(Duration v) { informerSyncTimeout = v; return this; }
    public Duration resyncPeriod() { return resyncPeriod; }
    public ControllerManagerOptions resyncPeriod(Duration v) { resyncPeriod = v; return this; }
    public int terminatedPodGcThreshold() { return terminatedPodGcThreshold; }
    public ControllerManagerOptions terminatedPodGcThreshold(int v) { terminatedPodGcThreshold = v; return this; }

    /** The first delay before a failed Job pod is replaced; it doubles per failure up to six minutes. */
    public Duration jobBackoffBase() { return jobBackoffBase; }
    public ControllerManagerOptions jobBackoffBase(Duration v) { jobBackoffBase = v; return this; }

    /** How often every HorizontalPodAutoscaler is re-evaluated (--horizontal-pod-autoscaler-sync-period). */
    public Duration hpaSyncPeriod() { return hpaSyncPeriod; }
    public ControllerManagerOptions hpaSyncPeriod(Duration v) { hpaSyncPeriod = v; return this; }
    public Duration resourceQuotaSyncPeriod() { return resourceQuotaSyncPeriod; }
    public ControllerManagerOptions resourceQuotaSyncPeriod(Duration v) { resourceQuotaSyncPeriod = v; return this; }
    /** The usage ratio band around 1.0 inside which no scaling happens (--horizontal-pod-autoscaler-tolerance). */
    public double hpaTolerance() { return hpaTolerance; }
    public ControllerManagerOptions hpaTolerance(double v) { hpaTolerance = v; return this; }
    /** Where the autoscaler reads pod usage; the metrics.k8s.io API unless a test substitutes a fake. */
    public Function<KubernetesClient, PodMetricsSource> hpaMetrics() { return hpaMetrics; }
    public ControllerManagerOptions hpaMetrics(Function<KubernetesClient, PodMetricsSource> v) { hpaMetrics = v; return this; }

    /**
     * Each controller acts as its own kube-system service account (--use-service-account-credentials, on by
     * default as in k3s); off, or against an API server without authentication, all share the manager's client.
     */
    public boolean useServiceAccountCredentials() { return useServiceAccountCredentials; }
    public ControllerManagerOptions useServiceAccountCredentials(boolean v) { useServiceAccountCredentials = v; return this; }
    /** The lifetime asked for each controller token; it is renewed after 80% of it. At least the server's 10 minutes. */
    public Duration serviceAccountTokenLifetime() { return serviceAccountTokenLifetime; }
    public ControllerManagerOptions serviceAccountTokenLifetime(Duration v) { serviceAccountTokenLifetime = v; return this; }

    /** Whether a controller is enabled by the {@code controllers} list. */
    public boolean isEnabled(String name) {
        if (controllers.contains("-" + name)) {
            return false;
        }
        return controllers.contains(name) || controllers.contains("*");
    }
}
