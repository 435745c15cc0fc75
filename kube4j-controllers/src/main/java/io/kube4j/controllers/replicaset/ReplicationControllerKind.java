package io.kube4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerConditionBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.util.Selectors;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** core/v1 ReplicationController: a map selector instead of a LabelSelector, otherwise a ReplicaSet. */
public final class ReplicationControllerKind implements ReplicatedKind<ReplicationController> {
    static final String FAILURE = "ReplicaFailure";

    @Override
    public Class<ReplicationController> type() { return ReplicationController.class; }

    @Override
    public String kind() { return "ReplicationController"; }

    @Override
    public String controllerName() { return "replication-controller"; }

    @Override
    public int replicas(ReplicationController rc) {
        return rc.getSpec().getReplicas() == null ? 1 : rc.getSpec().getReplicas();
    }

    @Override
    public int minReadySeconds(ReplicationController rc) {
        return rc.getSpec().getMinReadySeconds() == null ? 0 : rc.getSpec().getMinReadySeconds();
    }

    @Override
    public boolean selects(ReplicationController rc, Map<String, String> labels) {
        Map<String, String> selector = rc.getSpec().getSelector();
        if ((selector == null || selector.isEmpty()) && rc.getSpec().getTemplate() != null) {
            selector = rc.getSpec().getTemplate().getMetadata().getLabels();
        }
        return Selectors.matchesMap(selector, labels);
    }

    @Override
    public PodTemplateSpec template(ReplicationController rc) { return rc.getSpec().getTemplate(); }

    @Override
    public ReplicaCounts status(ReplicationController rc) {
        ReplicationControllerStatus s = rc.getStatus();
        if (s == null) {
            return new ReplicaCounts(0, 0, 0, 0, 0, null, null);
        }
        ReplicationControllerCondition failure = null;
        if (s.getConditions() != null) {
            failure = s.getConditions().stream().filter(c -> FAILURE.equals(c.getType())).findFirst().orElse(null);
        }
        return new ReplicaCounts(n(s.getReplicas()), n(s.getFullyLabeledReplicas()), n(s.getReadyReplicas()),
                n(s.getAvailableReplicas()), s.getObservedGeneration() == null ? 0 : s.getObservedGeneration(),
                failure == null ? null : failure.getReason(), failure == null ? null : failure.getMessage());
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    @Override
    public ReplicationController withStatus(ReplicationController rc, ReplicaCounts c, Instant now) {
        List<ReplicationControllerCondition> conditions = new ArrayList<>();
        if (rc.getStatus() != null && rc.getStatus().getConditions() != null) {
            for (ReplicationControllerCondition cond : rc.getStatus().getConditions()) {
                if (!FAILURE.equals(cond.getType())) {
                    conditions.add(cond);
                }
            }
        }
        if (c.failureReason() != null) {
            conditions.add(new ReplicationControllerConditionBuilder().withType(FAILURE).withStatus("True")
                    .withReason(c.failureReason()).withMessage(c.failureMessage())
                    .withLastTransitionTime(Times.format(now)).build());
        }
        return new ReplicationControllerBuilder(rc).withNewStatus()
                .withReplicas(c.replicas()).withFullyLabeledReplicas(c.fullyLabeledReplicas())
                .withReadyReplicas(c.readyReplicas()).withAvailableReplicas(c.availableReplicas())
                .withObservedGeneration(c.observedGeneration())
                .withConditions(conditions.isEmpty() ? null : conditions).endStatus().build();
    }

    @Override
    public void updateStatus(KubernetesClient client, ReplicationController rc) {
        client.replicationControllers().inNamespace(rc.getMetadata().getNamespace()).resource(rc).updateStatus();
    }

    @Override
    public ReplicationController getFresh(KubernetesClient client, String namespace, String name) {
        return client.replicationControllers().inNamespace(namespace).withName(name).get();
    }
}
