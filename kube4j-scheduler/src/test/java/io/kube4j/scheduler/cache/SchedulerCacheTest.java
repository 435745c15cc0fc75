package io.kube4j.scheduler.cache;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerCacheTest {
    private final SchedulerCache cache = new SchedulerCache();

    @Test
    void assumedPodsCountUntilForgottenOrConfirmed() {
        cache.addNode(Nodes.node("n1").build());
        PodInfo p = Pods.pod("p").cpu("1").info();
        cache.assumePod(p, "n1");
        assertThat(cache.updateSnapshot().get("n1").requested().milliCpu).isEqualTo(1000);
        assertThatThrownBy(() -> cache.assumePod(p, "n1")).isInstanceOf(IllegalStateException.class);
        cache.forgetPod(p);
        assertThat(cache.updateSnapshot().get("n1").requested().milliCpu).isZero();

        cache.assumePod(p, "n1");
        Pod bound = Pods.pod("p").cpu("1").nodeName("n1").build();
        cache.addPod(bound);
        assertThat(cache.isAssumed("default/p")).isFalse();
        cache.forgetPod(p); // no effect once confirmed
        assertThat(cache.updateSnapshot().get("n1").pods()).hasSize(1);
        cache.removePod(bound);
        assertThat(cache.updateSnapshot().get("n1").pods()).isEmpty();
    }

    @Test
    void aBindingSeenForTheAssumedPodConfirmsItOnlyWhenNothingTheScoringReadsDiffers() {
        cache.addNode(Nodes.node("n1").build());
        cache.addNode(Nodes.node("n2").build());
        Pod pod = Pods.pod("p").cpu("1").label("app", "a").build();
        pod.getMetadata().setUid("u1");
        PodInfo p = new PodInfo(pod);
        // nothing assumed yet
        assertThat(cache.confirm("default/p", "u1", "n1", java.util.Map.of("app", "a"))).isFalse();
        cache.assumePod(p, "n1");
        // another node, another pod under the same name, changed labels: the caller must add what it saw
        assertThat(cache.confirm("default/p", "u1", "n2", java.util.Map.of("app", "a"))).isFalse();
        assertThat(cache.confirm("default/p", "u2", "n1", java.util.Map.of("app", "a"))).isFalse();
        assertThat(cache.confirm("default/p", "u1", "n1", java.util.Map.of("app", "b"))).isFalse();
        assertThat(cache.isAssumed("default/p")).isTrue();

        assertThat(cache.confirm("default/p", "u1", "n1", java.util.Map.of("app", "a"))).isTrue();
        assertThat(cache.isAssumed("default/p")).isFalse();
        cache.forgetPod(p); // no effect once confirmed
        assertThat(cache.updateSnapshot().get("n1").pods()).containsExactly(p);
        assertThat(cache.updateSnapshot().get("n1").requested().milliCpu).isEqualTo(1000);
        cache.removePod("default/p");
        assertThat(cache.updateSnapshot().get("n1").pods()).isEmpty();
    }

    @Test
    void snapshotsAreIndependentCopiesRefreshedIncrementally() {
        cache.addNode(Nodes.node("n1").build());
        cache.addNode(Nodes.node("n2").build());
        Snapshot s1 = cache.updateSnapshot();
        var n2Before = s1.get("n2");
        cache.addPod(Pods.pod("p").cpu("1").nodeName("n1").build());
        // the cache change is not visible until the next update
        assertThat(s1.get("n1").pods()).isEmpty();
        Snapshot s2 = cache.updateSnapshot();
        assertThat(s2.get("n1").pods()).hasSize(1);
        // untouched nodes are not copied again
        assertThat(s2.get("n2")).isSameAs(n2Before);
    }

    @Test
    void podsSeenBeforeTheirNodeAndNodeRemoval() {
        cache.addPod(Pods.pod("early").cpu("1").nodeName("late").build());
        assertThat(cache.updateSnapshot().size()).isZero();
        cache.addNode(Nodes.node("late").build());
        assertThat(cache.updateSnapshot().get("late").requested().milliCpu).isEqualTo(1000);
        cache.removeNode(Nodes.node("late").build());
        assertThat(cache.updateSnapshot().size()).isZero();
        assertThat(cache.nodeCount()).isZero();
    }

    @Test
    void imageSpreadIsCounted() {
        cache.addNode(Nodes.node("a").image(100, "nginx:1").build());
        cache.addNode(Nodes.node("b").image(100, "nginx:1").build());
        assertThat(cache.updateSnapshot().imageNodeCount("nginx:1")).isEqualTo(2);
        cache.updateNode(Nodes.node("b").build());
        assertThat(cache.updateSnapshot().imageNodeCount("nginx:1")).isEqualTo(1);
    }
}
