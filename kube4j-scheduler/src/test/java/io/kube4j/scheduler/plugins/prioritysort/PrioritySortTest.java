package io.kube4j.scheduler.plugins.prioritysort;

import io.kube4j.scheduler.framework.QueuedPodInfo;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrioritySortTest {
    private final PrioritySort sort = new PrioritySort();

    @Test
    void higherPriorityFirstThenOlder() {
        QueuedPodInfo high = new QueuedPodInfo(Pods.pod("high").priority(10).info(), 200);
        QueuedPodInfo lowOld = new QueuedPodInfo(Pods.pod("low-old").priority(1).info(), 100);
        QueuedPodInfo lowNew = new QueuedPodInfo(Pods.pod("low-new").priority(1).info(), 150);
        assertThat(sort.less(high, lowOld)).isTrue();
        assertThat(sort.less(lowOld, high)).isFalse();
        assertThat(sort.less(lowOld, lowNew)).isTrue();
        assertThat(sort.less(lowNew, lowOld)).isFalse();
    }

    @Test
    void missingPriorityCountsAsZero() {
        QueuedPodInfo none = new QueuedPodInfo(Pods.pod("none").info(), 100);
        QueuedPodInfo negative = new QueuedPodInfo(Pods.pod("neg").priority(-1).info(), 50);
        assertThat(sort.less(none, negative)).isTrue();
    }
}
