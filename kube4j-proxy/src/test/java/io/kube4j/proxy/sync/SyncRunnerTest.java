package io.kube4j.proxy.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SyncRunnerTest {

    @Test
    void requestsDuringARunAreCoalescedIntoOneMoreRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SyncRunner runner = new SyncRunner("test-sync", Duration.ofMillis(10), () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            runner.request();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                runner.request();
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
            // nothing else is pending: a later check still sees two runs once the runner is idle
            runner.request();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 3);
        }
        assertThat(runs.get()).isEqualTo(3);
    }
}
