package io.kube4j.scheduler.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), the parts kube4j acts on. */
public record SchedulerConfiguration(int parallelism, int percentageOfNodesToScore, Duration podInitialBackoff,
                                     Duration podMaxBackoff, LeaderElection leaderElection, List<Profile> profiles) {
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public record LeaderElection(boolean leaderElect, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                                 String resourceName, String resourceNamespace) {
        public static LeaderElection defaults() {
            return new LeaderElection(true, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), "kube-scheduler", "kube-system");
        }
    }

    /** The configuration with no file: one default profile. */
    public static SchedulerConfiguration defaults() {
        return new SchedulerConfiguration(16, 0, Duration.ofSeconds(1), Duration.ofSeconds(10), LeaderElection.defaults(),
                List.of(new Profile(DEFAULT_SCHEDULER_NAME, null, Map.of(), Map.of())));
    }
}
