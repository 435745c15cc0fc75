package io.kube4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.util.Selectors;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** apps/v1 ReplicaSet. */
public final class ReplicaSetKind implements ReplicatedKind<ReplicaSet> {
    static final String FAILURE = "ReplicaFailure";

    @Override
    public Class<ReplicaSet> type() { return ReplicaSet.class; }

    @Override
    public String kind() { return "ReplicaSet"; }

    @Override
    public String controllerName() { return "replicaset-controller"; }

    @Override
    public int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    @Override
    public int minReadySeconds(ReplicaSet rs) {
        return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    }

    @Override
    public boolean selects(ReplicaSet rs, Map<String, String> labels) {
        return !Selectors.isEmpty(rs.getSpec().getSelector()) && Selectors.matches(rs.getSpec().getSelector(), labels);
    }

    @Override
    public PodTemplateSpec template(ReplicaSet rs) { return rs.getSpec().getTemplate(); }

    @Override
    public ReplicaCounts status(ReplicaSet rs) {
        ReplicaSetStatus s = rs.getStatus();
        if (s == null) {
            return new ReplicaCounts(0, 0, 0, 0, 0, null, null);
        }
        ReplicaSetCondition failure = null;
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
    public ReplicaSet withStatus(ReplicaSet rs, ReplicaCounts c, Instant now) {
        List<ReplicaSetCondition> conditions = new ArrayList<>();
        if (rs.getStatus() != null && rs.getStatus().getConditions() != null) {
            for (ReplicaSetCondition cond : rs.getStatus().getConditions()) {
                if (!FAILURE.equals(cond.getType())) {
                    conditions.add(cond);
                }
            }
        }
        if (c.failureReason() != null) {
            conditions.add(new ReplicaSetConditionBuilder().withType(FAILURE).withStatus("True")
                    .withReason(c.failureReason()).withMessage(c.failureMessage())
                    .withLastTransitionTime(Times.format(now)).build());
        }
        return new ReplicaSetBuilder(rs).withNewStatus()
                .withReplicas(c.replicas()).withFullyLabeledReplicas(c.fullyLabeledReplicas())
                .withReadyReplicas(c.readyReplicas()).withAvailableReplicas(c.availableReplicas())
                .withObservedGeneration(c.observedGeneration())
                .withConditions(conditions.isEmpty() ? null : conditions).endStatus().build();
    }

    @Override
    public void updateStatus(KubernetesClient client, ReplicaSet rs) {
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).updateStatus();
    }

    @Override
    public ReplicaSet getFresh(KubernetesClient client, String namespace, String name) {
        return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    }
}
