package io.kube4j.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    @Test
    void deduplicatesQueuedKeys() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.add("a");
            q.add("a");
            q.add("b");
            assertThat(q.length()).isEqualTo(2);
            assertThat(q.get()).contains("a");
            assertThat(q.get()).contains("b");
        }
    }

    @Test
    void keyAddedWhileProcessingIsRequeuedOnlyAfterDone() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.add("a");
            assertThat(q.get()).contains("a");
            q.add("a");
            assertThat(q.length()).isZero();
            q.done("a");
            assertThat(q.length()).isEqualTo(1);
            assertThat(q.get()).contains("a");
        }
    }

    @Test
    void addAfterDeliversLater() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.addAfter("later", Duration.ofMinutes(10));
            q.addAfter("soon", Duration.ofMillis(50));
            await().atMost(Duration.ofSeconds(5)).until(() -> q.length() == 1);
            assertThat(q.get()).contains("soon");
            assertThat(q.length()).isZero();
        }
    }

    @Test
    void shutDownReleasesWaitingWorkers() throws Exception {
        WorkQueue<String> q = new WorkQueue<>("t");
        q.shutDown();
        assertThat(q.get()).isEmpty();
    }

    @Test
    void exponentialBackoffDoublesAndCaps() {
        ExponentialFailureRateLimiter<String> l = new ExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
        assertThat(l.when("a")).isEqualTo(Duration.ofMillis(5));
        assertThat(l.when("a")).isEqualTo(Duration.ofMillis(10));
        assertThat(l.when("a")).isEqualTo(Duration.ofMillis(20));
        assertThat(l.numRequeues("a")).isEqualTo(3);
        for (int i = 0; i < 100; i++) {
            l.when("a");
        }
        assertThat(l.when("a")).isEqualTo(Duration.ofSeconds(1000));
        l.forget("a");
        assertThat(l.when("a")).isEqualTo(Duration.ofMillis(5));
        assertThat(l.when("b")).isEqualTo(Duration.ofMillis(5));
    }
}
