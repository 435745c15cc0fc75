package io.kube4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Pure deployment arithmetic and conditions, as upstream's deployment/util. */
public final class DeploymentUtil {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    public static final String PROGRESSING = "Progressing";
    public static final String AVAILABLE = "Available";
    public static final String REPLICA_FAILURE = "ReplicaFailure";
    public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    public static final String TIMED_OUT = "ProgressDeadlineExceeded";
    public static final String PAUSED = "DeploymentPaused";
    public static final String RESUMED = "DeploymentResumed";
    static final List<String> NOT_COPIED_ANNOTATIONS = List.of(
            "kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
            MAX_REPLICAS, "deprecated.deployment.rollback.to");

    private DeploymentUtil() {
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    public static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static int n(Integer i) {
        return i == null ? 0 : i;
    }

    public static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : n(rs.getStatus().getReplicas());
    }

    public static int availableReplicas(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : n(rs.getStatus().getAvailableReplicas());
    }

    /**
     * The available replicas a ReplicaSet will still have once it matches its spec. Right after a scale-down
     * the ReplicaSet controller reports the counts of the pods it saw before deleting the surplus (as
     * upstream does), so status.availableReplicas can exceed spec.replicas for a while; the pods over the
     * spec are being deleted and must not be counted towards maxUnavailable, or a second scale-down in that
     * window takes the deployment below replicas - maxUnavailable. The ReplicaSet deletes not-ready pods
     * first, so what it keeps is min(spec, available).
     */
    public static int availableWithinSpec(ReplicaSet rs) {
        return Math.min(replicas(rs), availableReplicas(rs));
    }

    public static int readyReplicas(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : n(rs.getStatus().getReadyReplicas());
    }

    public static boolean isRecreate(Deployment d) {
        return d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    }

    public static boolean isPaused(Deployment d) {
        return Boolean.TRUE.equals(d.getSpec().getPaused());
    }

    public static int minReadySeconds(Deployment d) {
        return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    }

    /** [maxSurge, maxUnavailable] for a RollingUpdate deployment. */
    public static int[] fenceposts(Deployment d) {
        var strategy = d.getSpec().getStrategy();
        var ru = strategy == null ? null : strategy.getRollingUpdate();
        return IntOrPercent.resolveFenceposts(ru == null ? null : ru.getMaxSurge(),
                ru == null ? null : ru.getMaxUnavailable(), replicas(d));
    }

    public static int maxSurge(Deployment d) {
        return isRecreate(d) ? 0 : fenceposts(d)[0];
    }

    public static int maxUnavailable(Deployment d) {
        if (isRecreate(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d)[1], replicas(d));
    }

    public static long revision(ReplicaSet rs) {
        Map<String, String> ann = rs.getMetadata().getAnnotations();
        if (ann == null || ann.get(REVISION) == null) {
            return 0;
        }
        try {
            return Long.parseLong(ann.get(REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static long maxRevision(List<ReplicaSet> rss) {
        return rss.stream().mapToLong(DeploymentUtil::revision).max().orElse(0);
    }

    public static Integer intAnnotation(ReplicaSet rs, String key) {
        Map<String, String> ann = rs.getMetadata().getAnnotations();
        if (ann == null || ann.get(key) == null) {
            return null;
        }
        try {
            return Integer.parseInt(ann.get(key));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static int sumReplicas(List<ReplicaSet> rss) {
        return rss.stream().filter(Objects::nonNull).mapToInt(DeploymentUtil::replicas).sum();
    }

    public static List<ReplicaSet> active(List<ReplicaSet> rss) {
        return rss.stream().filter(rs -> rs != null && replicas(rs) > 0).toList();
    }

    public static Comparator<ReplicaSet> oldestFirst() {
        return Comparator.comparing((ReplicaSet rs) -> String.valueOf(rs.getMetadata().getCreationTimestamp()))
                .thenComparing(rs -> rs.getMetadata().getName());
    }

    /**
     * The pods a ReplicaSet may still have: its spec, or more while a scale-down is not yet carried out. The
     * status counts the pods that are not terminating, and it only drops below the old count once the
     * ReplicaSet controller has seen its victims marked for deletion.
     */
    public static int replicasOrPodsLeft(ReplicaSet rs) {
        return Math.max(replicas(rs), statusReplicas(rs));
    }

    /**
     * Upstream's NewRSNewReplicas for RollingUpdate: grow the new RS as far as maxSurge allows. Upstream sums
     * spec replicas only, so right after an old ReplicaSet is scaled down the new one can be grown before the
     * old pods are marked for deletion, and replicas + maxSurge + 1 pods run for a moment; counting the pods
     * an old ReplicaSet still has keeps the surge bound on pods, at the cost of waiting for one status update.
     */
    public static int newRSNewReplicas(Deployment d, List<ReplicaSet> allRSs, ReplicaSet newRS) {
        if (isRecreate(d)) {
            return replicas(d);
        }
        int maxSurge = fenceposts(d)[0];
        int current = allRSs.stream().filter(Objects::nonNull).mapToInt(DeploymentUtil::replicasOrPodsLeft).sum();
        int maxTotal = replicas(d) + maxSurge;
        int newReplicas = newRS == null ? 0 : replicas(newRS);
        if (current >= maxTotal) {
            return newReplicas;
        }
        int scaleUp = Math.min(maxTotal - current, replicas(d) - newReplicas);
        return newReplicas + Math.max(0, scaleUp);
    }

    public static boolean isSaturated(Deployment d, ReplicaSet rs) {
        if (rs == null) {
            return false;
        }
        Integer desired = intAnnotation(rs, DESIRED_REPLICAS);
        return desired != null && desired == replicas(d) && replicas(rs) == replicas(d)
                && availableReplicas(rs) == replicas(d);
    }

    public static boolean complete(Deployment d, DeploymentStatus s) {
        long gen = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
        return n(s.getUpdatedReplicas()) == replicas(d) && n(s.getReplicas()) == replicas(d)
                && n(s.getAvailableReplicas()) == replicas(d) && observed >= gen;
    }

    public static boolean progressing(Deployment d, DeploymentStatus s) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int newOld = n(s.getReplicas()) - n(s.getUpdatedReplicas());
        int curOld = n(old.getReplicas()) - n(old.getUpdatedReplicas());
        return n(s.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOld < curOld
                || n(s.getReadyReplicas()) > n(old.getReadyReplicas())
                || n(s.getAvailableReplicas()) > n(old.getAvailableReplicas());
    }

    public static boolean hasProgressDeadline(Deployment d) {
        Integer p = d.getSpec().getProgressDeadlineSeconds();
        return p != null && p != Integer.MAX_VALUE;
    }

    public static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
        if (!hasProgressDeadline(d)) {
            return false;
        }
        DeploymentCondition c = condition(s, PROGRESSING);
        if (c == null || NEW_RS_AVAILABLE.equals(c.getReason())) {
            return false;
        }
        if (TIMED_OUT.equals(c.getReason())) {
            return true;
        }
        Instant from = Times.parse(c.getLastUpdateTime());
        return from != null && from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
    }

    public static DeploymentCondition condition(DeploymentStatus s, String type) {
        if (s == null || s.getConditions() == null) {
            return null;
        }
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static DeploymentCondition newCondition(String type, String status, String reason, String message, Instant now) {
        String t = Times.format(now);
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(t).withLastTransitionTime(t).build();
    }

    /** SetDeploymentCondition: no-op for the same status and reason; keeps the transition time for the same status. */
    public static void setCondition(DeploymentStatus s, DeploymentCondition c) {
        DeploymentCondition current = condition(s, c.getType());
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())
                && Objects.equals(current.getReason(), c.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
            c.setLastTransitionTime(current.getLastTransitionTime());
        }
        List<DeploymentCondition> conditions = new ArrayList<>();
        if (s.getConditions() != null) {
            s.getConditions().stream().filter(x -> !c.getType().equals(x.getType())).forEach(conditions::add);
        }
        conditions.add(c);
        s.setConditions(conditions);
    }

    public static void removeCondition(DeploymentStatus s, String type) {
        if (s.getConditions() != null) {
            List<DeploymentCondition> conditions = new ArrayList<>(s.getConditions());
            conditions.removeIf(c -> type.equals(c.getType()));
            s.setConditions(conditions);
        }
    }

    /** The status counts of a deployment from its ReplicaSets, plus the Available condition. */
    public static DeploymentStatus calculateStatus(List<ReplicaSet> allRSs, ReplicaSet newRS, Deployment d, Instant now) {
        int available = allRSs.stream().mapToInt(DeploymentUtil::availableReplicas).sum();
        int total = sumReplicas(allRSs);
        int unavailable = Math.max(0, total - available);
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus s = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(allRSs.stream().mapToInt(DeploymentUtil::statusReplicas).sum())
                .withUpdatedReplicas(newRS == null ? 0 : statusReplicas(newRS))
                .withReadyReplicas(allRSs.stream().mapToInt(DeploymentUtil::readyReplicas).sum())
                .withAvailableReplicas(available)
                .withUnavailableReplicas(unavailable)
                .withCollisionCount(old.getCollisionCount())
                .build();
        List<DeploymentCondition> conditions = new ArrayList<>();
        if (old.getConditions() != null) {
            old.getConditions().forEach(c -> conditions.add(new DeploymentConditionBuilder(c).build()));
        }
        s.setConditions(conditions);
        if (available >= replicas(d) - maxUnavailable(d)) {
            setCondition(s, newCondition(AVAILABLE, "True", "MinimumReplicasAvailable",
                    "Deployment has minimum availability.", now));
        } else {
            setCondition(s, newCondition(AVAILABLE, "False", "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.", now));
        }
        return s;
    }

    /** Upstream's getReplicaSetFraction, for proportional scaling of a paused or mid-rollout deployment. */
    public static int replicaSetFraction(ReplicaSet rs, Deployment d) {
        if (replicas(d) == 0) {
            return -replicas(rs);
        }
        int deploymentReplicas = replicas(d) + maxSurge(d);
        Integer annotated = intAnnotation(rs, MAX_REPLICAS);
        int annotatedReplicas = annotated != null ? annotated
                : (d.getStatus() == null ? 0 : n(d.getStatus().getReplicas()));
        if (annotatedReplicas == 0) {
            return 0;
        }
        double size = (double) replicas(rs) * deploymentReplicas / annotatedReplicas;
        return (int) Math.round(size) - replicas(rs);
    }

    public static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
        if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = replicaSetFraction(rs, d);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }
}
