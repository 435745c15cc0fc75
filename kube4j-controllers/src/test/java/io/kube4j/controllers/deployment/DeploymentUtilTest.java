package io.kube4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentUtilTest {
    static Deployment deployment(int replicas, Object surge, Object unavailable) {
        return new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(surge)).withMaxUnavailable(new IntOrString(unavailable))
                .endRollingUpdate().endStrategy().endSpec().build();
    }

    static ReplicaSet rs(String name, int replicas, int available) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withAvailableReplicas(available).endStatus().build();
    }

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() {
        assertThat(IntOrPercent.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 10))
                .containsExactly(3, 2);
        assertThat(IntOrPercent.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 1))
                .containsExactly(1, 0);
        assertThat(IntOrPercent.resolveFenceposts(new IntOrString(0), new IntOrString(0), 5))
                .containsExactly(0, 1);
        assertThat(IntOrPercent.resolveFenceposts(null, null, 4)).containsExactly(1, 1);
    }

    @Test
    void newReplicaSetGrowsOnlyWithinSurge() {
        Deployment d = deployment(10, 3, 2);
        ReplicaSet old = rs("old", 10, 10);
        ReplicaSet fresh = rs("new", 0, 0);
        assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(old, fresh), fresh)).isEqualTo(3);
        ReplicaSet grown = rs("new", 3, 0);
        assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(old, grown), grown)).isEqualTo(3);
        ReplicaSet oldShrunk = rs("old", 5, 5);
        assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(oldShrunk, grown), grown)).isEqualTo(8);
    }

    @Test
    void maxUnavailableNeverExceedsReplicas() {
        assertThat(DeploymentUtil.maxUnavailable(deployment(2, 0, 5))).isEqualTo(2);
        assertThat(DeploymentUtil.maxUnavailable(deployment(0, 1, 1))).isZero();
    }

    @Test
    void completeNeedsAllCountsAndObservedGeneration() {
        Deployment d = deployment(3, 1, 1);
        var s = DeploymentUtil.calculateStatus(List.of(rs("new", 3, 3)), rs("new", 3, 3), d, java.time.Instant.now());
        assertThat(DeploymentUtil.complete(d, s)).isTrue();
        assertThat(DeploymentUtil.condition(s, "Available").getStatus()).isEqualTo("True");
        var partial = DeploymentUtil.calculateStatus(List.of(rs("old", 2, 2), rs("new", 1, 0)), rs("new", 1, 0), d,
                java.time.Instant.now());
        assertThat(DeploymentUtil.complete(d, partial)).isFalse();
        assertThat(partial.getUnavailableReplicas()).isEqualTo(1);
        assertThat(DeploymentUtil.condition(partial, "Available").getStatus()).isEqualTo("True");
    }

    @Test
    void templateHashIgnoresMapOrderAndChangesWithTemplate() {
        PodTemplateSpec a = new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("a", "1", "b", "2")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec().build();
        PodTemplateSpec b = new PodTemplateSpecBuilder(a).build();
        b.getMetadata().setLabels(new java.util.LinkedHashMap<>(Map.of("b", "2", "a", "1")));
        assertThat(TemplateHash.compute(a, null)).isEqualTo(TemplateHash.compute(b, null)).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        PodTemplateSpec c = new PodTemplateSpecBuilder(a).editSpec().editFirstContainer().withImage("nginx:2")
                .endContainer().endSpec().build();
        assertThat(TemplateHash.compute(c, null)).isNotEqualTo(TemplateHash.compute(a, null));
        assertThat(TemplateHash.compute(a, 1)).isNotEqualTo(TemplateHash.compute(a, null));
        PodTemplateSpec hashed = new PodTemplateSpecBuilder(a).editMetadata().addToLabels(TemplateHash.LABEL, "xyz")
                .endMetadata().build();
        assertThat(TemplateHash.equalIgnoreHash(hashed, a)).isTrue();
        assertThat(TemplateHash.equalIgnoreHash(c, a)).isFalse();
    }
}
