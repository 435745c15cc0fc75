package io.kube4j.controllers.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.deployment.IntOrPercent;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Selectors;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes PodDisruptionBudget status: how many selected pods are healthy, how many must stay
 * healthy, and so how many voluntary disruptions (evictions) are allowed now. Percentages and
 * maxUnavailable are resolved against the scale of the pods' controllers, as upstream does.
 */
public final class DisruptionController extends Controller {
    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;
    /** How long an evicted pod may take to be deleted before it counts again (upstream's DeletionTimeout). */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    public DisruptionController(ControllerContext ctx) {
        super("disruption-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
        informers.of(PodDisruptionBudget.class).addEventHandler(Handlers.any(this::enqueue));
        informers.of(Pod.class).addEventHandler(Handlers.any(this::podChanged));
        informers.of(ReplicaSet.class);
        informers.of(Deployment.class);
        informers.of(StatefulSet.class);
        informers.of(ReplicationController.class);
    }

    private void podChanged(Pod pod) {
        for (PodDisruptionBudget pdb : informers.inNamespace(PodDisruptionBudget.class, pod.getMetadata().getNamespace())) {
            if (Selectors.matches(pdb.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                enqueue(pdb);
            }
        }
    }

    @Override
    public void sync(String key) {
        PodDisruptionBudget cached = informers.get(PodDisruptionBudget.class, key);
        if (cached == null) {
            return;
        }
        List<Pod> pods = new ArrayList<>();
        for (Pod p : informers.inNamespace(Pod.class, Keys.namespace(key))) {
            if (Selectors.matches(cached.getSpec().getSelector(), p.getMetadata().getLabels()) && !Pods.isTerminal(p)) {
                pods.add(p);
            }
        }
        PodDisruptionBudgetStatus old = cached.getStatus() == null ? new PodDisruptionBudgetStatus() : cached.getStatus();
        Map<String, String> disrupted = stillDisrupted(key, old.getDisruptedPods(), pods);
        // a pod an eviction is deleting does not count as healthy while its deletion is due
        int healthy = (int) pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                && !disrupted.containsKey(p.getMetadata().getName()) && Pods.isReady(p)).count();
        IntOrString minAvailable = cached.getSpec().getMinAvailable();
        IntOrString maxUnavailable = cached.getSpec().getMaxUnavailable();
        int expected;
        int desired;
        String error = null;
        if (minAvailable != null && minAvailable.getIntVal() != null) {
            expected = pods.size();
            desired = minAvailable.getIntVal();
        } else {
            Integer scale = expectedScale(pods);
            if (scale == null) {
                error = "found no controllers for pods selected by the budget";
                scale = pods.size();
            }
            expected = scale;
            if (maxUnavailable != null) {
                desired = Math.max(0, expected - IntOrPercent.scaled(maxUnavailable, expected, true, 0));
            } else if (minAvailable != null) {
                desired = IntOrPercent.scaled(minAvailable, expected, true, 0);
            } else {
                desired = expected;
            }
        }
        int allowed = error == null ? Math.max(0, healthy - desired) : 0;
        String reason = error != null ? "SyncFailed" : allowed > 0 ? "SufficientPods" : "InsufficientPods";
        Condition current = old.getConditions() == null ? null : old.getConditions().stream()
                .filter(c -> "DisruptionAllowed".equals(c.getType())).findFirst().orElse(null);
        String condStatus = allowed > 0 ? "True" : "False";
        Condition cond = current != null && condStatus.equals(current.getStatus()) && reason.equals(current.getReason())
                ? current : new ConditionBuilder().withType("DisruptionAllowed").withStatus(condStatus).withReason(reason)
                .withMessage(error == null ? "" : error).withObservedGeneration(cached.getMetadata().getGeneration())
                .withLastTransitionTime(Times.format(clock.instant())).build();
        // no map where there was none: an empty one would differ from the stored status at every sync
        Map<String, String> disruptedPods = old.getDisruptedPods() == null && disrupted.isEmpty() ? null : disrupted;
        PodDisruptionBudgetStatus status = new PodDisruptionBudgetStatus(List.of(cond), healthy, desired,
                disruptedPods, allowed, expected, cached.getMetadata().getGeneration());
        if (Objects.equals(status, cached.getStatus())) {
            return;
        }
        PodDisruptionBudget copy = new PodDisruptionBudgetBuilder(cached).withStatus(status).build();
        client.policy().v1().podDisruptionBudget().inNamespace(Keys.namespace(key)).resource(copy).updateStatus();
    }

    /**
     * The evictions still to be confirmed (upstream's buildDisruptedPodMap): an entry goes once its pod is gone or
     * being deleted, or when the pod outlived {@link #DELETION_TIMEOUT} after its eviction (the delete never came);
     * the budget is looked at again when the next entry is due.
     */
    private Map<String, String> stillDisrupted(String key, Map<String, String> recorded, List<Pod> pods) {
        Map<String, String> kept = new HashMap<>();
        if (recorded == null || recorded.isEmpty()) {
            return kept;
        }
        Instant now = clock.instant();
        Instant recheck = null;
        for (Pod p : pods) {
            Instant evicted = p.getMetadata().getDeletionTimestamp() != null ? null
                    : evictedAt(recorded.get(p.getMetadata().getName()));
            if (evicted != null && evicted.plus(DELETION_TIMEOUT).isAfter(now)) {
                kept.put(p.getMetadata().getName(), recorded.get(p.getMetadata().getName()));
                Instant due = evicted.plus(DELETION_TIMEOUT);
                recheck = recheck == null || due.isBefore(recheck) ? due : recheck;
            }
        }
        if (recheck != null) {
            enqueueAfter(key, Duration.between(now, recheck));
        }
        return kept;
    }

    /** When an entry says the pod was evicted; null (the entry dropped) for none or one that is not a time. */
    private static Instant evictedAt(String time) {
        try {
            return Times.parse(time);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The summed replicas of the controllers of the pods (a Deployment through its ReplicaSet); null if a pod has none. */
    private Integer expectedScale(List<Pod> pods) {
        Map<String, Integer> scales = new HashMap<>();
        for (Pod p : pods) {
            OwnerReference ref = OwnerRefs.controllerOf(p);
            if (ref == null) {
                return null;
            }
            String ns = p.getMetadata().getNamespace();
            Integer scale = null;
            String uid = ref.getUid();
            switch (ref.getKind()) {
                case "ReplicaSet" -> {
                    ReplicaSet rs = informers.get(ReplicaSet.class, Keys.of(ns, ref.getName()));
                    if (rs != null) {
                        OwnerReference dref = OwnerRefs.controllerOf(rs);
                        Deployment d = dref == null || !"Deployment".equals(dref.getKind()) ? null
                                : informers.get(Deployment.class, Keys.of(ns, dref.getName()));
                        if (d != null) {
                            uid = d.getMetadata().getUid();
                            scale = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                        } else {
                            scale = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
                        }
                    }
                }
                case "StatefulSet" -> {
                    StatefulSet s = informers.get(StatefulSet.class, Keys.of(ns, ref.getName()));
                    scale = s == null ? null : s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
                }
                case "ReplicationController" -> {
                    ReplicationController rc = informers.get(ReplicationController.class, Keys.of(ns, ref.getName()));
                    scale = rc == null ? null : rc.getSpec().getReplicas() == null ? 1 : rc.getSpec().getReplicas();
                }
                default -> { }
            }
            if (scale == null) {
                return null;
            }
            scales.put(uid, scale);
        }
        return scales.values().stream().mapToInt(Integer::intValue).sum();
    }
}
