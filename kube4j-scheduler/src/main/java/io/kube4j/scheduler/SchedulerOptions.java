package io.kube4j.scheduler;

import io.kube4j.scheduler.config.ConfigLoader;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.BindPlugin;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/** How to run a scheduler: its configuration and the command-line style overrides. */
public final class SchedulerOptions {
    private SchedulerConfiguration configuration = SchedulerConfiguration.defaults();
    private Boolean leaderElect;
    private String identity;
    private Clock clock = Clock.systemUTC();
    private BindPlugin binder;
    private int metricsPort = -1;
    private String metricsHost = "127.0.0.1";
    private boolean watchClusterObjects = true;

    public static SchedulerOptions defaults() { return new SchedulerOptions(); }

    /** Reads a KubeSchedulerConfiguration file; throws ConfigException naming the bad field. */
    public SchedulerOptions configFile(Path file) {
        this.configuration = ConfigLoader.load(file);
        return this;
    }

    public SchedulerOptions configuration(SchedulerConfiguration c) { this.configuration = c; return this; }

    /** --leader-elect; overrides the configuration file. On by default. */
    public SchedulerOptions leaderElect(boolean on) { this.leaderElect = on; return this; }

    /** The Lease holder identity; default host name plus a random suffix. */
    public SchedulerOptions identity(String id) { this.identity = id; return this; }

    /** The queue's clock (backoff and the unschedulable flush). */
    public SchedulerOptions clock(Clock c) { this.clock = c; return this; }

    /** Replaces DefaultBinder in every profile (tests, or API servers without the binding subresource). */
    public SchedulerOptions binder(BindPlugin b) { this.binder = b; return this; }

    /** Serves Prometheus text at http://host:port/metrics; -1 (default) serves nothing, 0 picks a free port. */
    public SchedulerOptions metricsPort(int port) { this.metricsPort = port; return this; }

    public SchedulerOptions metricsHost(String host) { this.metricsHost = host; return this; }

    /** Whether to watch services, replica sets, stateful sets, PDBs and namespaces (for spreading, preemption). */
    public SchedulerOptions watchClusterObjects(boolean on) { this.watchClusterObjects = on; return this; }

    public SchedulerConfiguration configuration() { return configuration; }
    public boolean leaderElect() { return leaderElect != null ? leaderElect : configuration.leaderElection().leaderElect(); }
    public Clock clock() { return clock; }
    public BindPlugin binder() { return binder; }
    public int metricsPort() { return metricsPort; }
    public String metricsHost() { return metricsHost; }
    public boolean watchClusterObjects() { return watchClusterObjects; }

    public String identity() {
        if (identity == null) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "kube4j";
            }
            identity = host + "_" + UUID.randomUUID();
        }
        return identity;
    }
}
