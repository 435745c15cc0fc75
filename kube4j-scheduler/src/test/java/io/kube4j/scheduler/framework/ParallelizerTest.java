package io.kube4j.scheduler.framework;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelizerTest {
    @Test
    void visitsEveryIndexOnce() {
        try (Parallelizer p = new Parallelizer(3)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(5000);
            p.until(5000, seen::incrementAndGet);
            for (int i = 0; i < 5000; i++) assertThat(seen.get(i)).as("index %d", i).isEqualTo(1);
        }
    }

    @Test
    void stopsEarlyWhenAskedTo() {
        try (Parallelizer p = new Parallelizer(2)) {
            AtomicInteger done = new AtomicInteger();
            p.until(10_000, i -> done.incrementAndGet(), () -> done.get() >= 100);
            // each worker finishes at most its current chunk (sqrt(n) = 100) after the stop condition holds
            assertThat(done.get()).isBetween(100, 100 + 2 * 100);
        }
    }
}
