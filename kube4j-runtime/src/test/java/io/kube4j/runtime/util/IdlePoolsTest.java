package io.kube4j.runtime.util;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runtime's pools run every blocking task at once on named daemon threads, and drop them once idle. */
class IdlePoolsTest {

    @Test
    void blockingTasksDoNotWaitForEachOtherAndTheirThreadsLeaveWhenIdle() throws Exception {
        ExecutorService pool = IdlePools.named("test-pool");
        try {
            int tasks = 6;
            CountDownLatch allRunning = new CountDownLatch(tasks);
            CountDownLatch release = new CountDownLatch(1);
            Set<String> names = ConcurrentHashMap.newKeySet();
            Set<Boolean> daemon = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < tasks; i++) {
                pool.execute(() -> {
                    names.add(Thread.currentThread().getName());
                    daemon.add(Thread.currentThread().isDaemon());
                    allRunning.countDown();
                    try {
                        release.await(); // a task blocked as a CRI call waits on runc
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            // every task runs although the others block: no bound, no queue
            assertThat(allRunning.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(names).hasSize(tasks).allMatch(n -> n.matches("test-pool-\\d+"));
            assertThat(daemon).containsExactly(true);
            release.countDown();
            await().atMost(Duration.ofSeconds(IdlePools.IDLE_SECONDS * 4))
                    .until(() -> ((ThreadPoolExecutor) pool).getPoolSize() == 0);
        } finally {
            pool.shutdownNow();
        }
    }
}
