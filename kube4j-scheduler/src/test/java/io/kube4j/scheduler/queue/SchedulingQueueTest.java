package io.kube4j.scheduler.queue;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.QueuedPodInfo;
import io.kube4j.scheduler.plugins.prioritysort.PrioritySort;
import io.kube4j.scheduler.testing.MutableClock;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulingQueueTest {
    private final MutableClock clock = new MutableClock();
    private final SchedulingQueue q = new SchedulingQueue(new PrioritySort(), clock, EventInterest.ANY);

    private QueuedPodInfo popNow() throws InterruptedException {
        return q.poll(0, TimeUnit.MILLISECONDS);
    }

    @Test
    void popsByPriorityThenArrival() throws Exception {
        q.add(Pods.pod("low1").priority(1).build());
        clock.advance(Duration.ofMillis(1));
        q.add(Pods.pod("high").priority(100).build());
        clock.advance(Duration.ofMillis(1));
        q.add(Pods.pod("low2").priority(1).build());
        assertThat(popNow().key()).isEqualTo("default/high");
        assertThat(popNow().key()).isEqualTo("default/low1");
        assertThat(popNow().key()).isEqualTo("default/low2");
        assertThat(popNow()).isNull();
    }

    @Test
    void unschedulablePodWaitsForAnEventThenBacksOff() throws Exception {
        q.add(Pods.pod("p").build());
        long cycle = q.schedulingCycle();
        QueuedPodInfo p = popNow();
        p.unschedulablePlugins.add("NodeResourcesFit");
        q.addUnschedulableIfNotPresent(p, cycle + 1);
        assertThat(q.unschedulableSize()).isEqualTo(1);
        assertThat(popNow()).isNull();

        // an event 500ms after the failure: still backing off (1s), so it goes to backoffQ
        clock.advance(Duration.ofMillis(500));
        q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
        assertThat(q.backoffSize()).isEqualTo(1);
        q.flushBackoffQCompleted();
        assertThat(popNow()).isNull();
        clock.advance(Duration.ofMillis(500));
        q.flushBackoffQCompleted();
        assertThat(popNow().key()).isEqualTo("default/p");
    }

    @Test
    void backoffDoublesUpToTenSeconds() {
        QueuedPodInfo p = new QueuedPodInfo(Pods.pod("p").info(), 0);
        long[] expected = {1000, 2000, 4000, 8000, 10000, 10000};
        for (int i = 0; i < expected.length; i++) {
            p.attempts = i + 1;
            assertThat(q.backoffDuration(p)).as("attempt %d", i + 1).isEqualTo(expected[i]);
        }
    }

    @Test
    void eventsOnlyMovePodsTheyMayHelp() throws Exception {
        SchedulingQueue sq = new SchedulingQueue(new PrioritySort(), clock,
                (pod, ev) -> pod.unschedulablePlugins.contains("TaintToleration") && Set.of(ClusterEvent.NODE_UPDATE).contains(ev));
        sq.add(Pods.pod("p").build());
        QueuedPodInfo p = sq.poll(0, TimeUnit.MILLISECONDS);
        p.unschedulablePlugins.add("TaintToleration");
        sq.addUnschedulableIfNotPresent(p, sq.schedulingCycle() + 1);
        clock.advance(Duration.ofSeconds(5));
        sq.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
        assertThat(sq.unschedulableSize()).isEqualTo(1);
        sq.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_UPDATE);
        assertThat(sq.activeSize()).isEqualTo(1);
    }

    @Test
    void eventDuringTheAttemptSendsThePodToBackoffNotUnschedulable() throws Exception {
        q.add(Pods.pod("p").build());
        QueuedPodInfo p = popNow();
        long cycle = q.schedulingCycle();
        q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
        p.unschedulablePlugins.add("NodeResourcesFit");
        q.addUnschedulableIfNotPresent(p, cycle);
        assertThat(q.unschedulableSize()).isZero();
        assertThat(q.backoffSize()).isEqualTo(1);
    }

    @Test
    void leftoverUnschedulablePodsAreFlushedAfterFiveMinutes() throws Exception {
        q.add(Pods.pod("p").build());
        QueuedPodInfo p = popNow();
        p.unschedulablePlugins.add("X");
        q.addUnschedulableIfNotPresent(p, q.schedulingCycle() + 1);
        clock.advance(Duration.ofMinutes(4));
        q.flushUnschedulablePodsLeftover();
        assertThat(q.unschedulableSize()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        q.flushUnschedulablePodsLeftover();
        assertThat(popNow().key()).isEqualTo("default/p");
    }

    @Test
    void errorsGoToBackoffAndDeletedPodsVanish() throws Exception {
        q.add(Pods.pod("p").build());
        QueuedPodInfo p = popNow();
        q.addUnschedulableIfNotPresent(p, q.schedulingCycle());
        assertThat(q.backoffSize()).isEqualTo(1);
        q.delete(Pods.pod("p").build());
        clock.advance(Duration.ofSeconds(2));
        q.flushBackoffQCompleted();
        assertThat(popNow()).isNull();
        assertThat(q.contains("default/p")).isFalse();
    }

    @Test
    void updateOfUnschedulablePodRetriesIt() throws Exception {
        q.add(Pods.pod("p").build());
        QueuedPodInfo p = popNow();
        p.unschedulablePlugins.add("X");
        q.addUnschedulableIfNotPresent(p, q.schedulingCycle() + 1);
        clock.advance(Duration.ofSeconds(2));
        q.update(Pods.pod("p").cpu("1").build());
        QueuedPodInfo again = popNow();
        assertThat(again.podInfo().requests().milliCpu).isEqualTo(1000);
        assertThat(again.attempts).isEqualTo(2);
    }
}
