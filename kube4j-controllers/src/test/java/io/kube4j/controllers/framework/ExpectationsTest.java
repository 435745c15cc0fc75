package io.kube4j.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    @Test
    void unsatisfiedUntilAllCreationsObserved() {
        Expectations e = new Expectations();
        assertThat(e.satisfied("ns/a")).isTrue();
        e.expectCreations("ns/a", 2);
        assertThat(e.satisfied("ns/a")).isFalse();
        e.creationObserved("ns/a");
        assertThat(e.satisfied("ns/a")).isFalse();
        e.creationObserved("ns/a");
        assertThat(e.satisfied("ns/a")).isTrue();
    }

    @Test
    void deletionCountedOncePerObject() {
        Expectations e = new Expectations();
        e.expectDeletions("ns/a", List.of("ns/p1", "ns/p2"));
        e.deletionObserved("ns/a", "ns/p1");
        e.deletionObserved("ns/a", "ns/p1");
        assertThat(e.satisfied("ns/a")).isFalse();
        e.deletionObserved("ns/a", "ns/other");
        assertThat(e.satisfied("ns/a")).isFalse();
        e.deletionObserved("ns/a", "ns/p2");
        assertThat(e.satisfied("ns/a")).isTrue();
    }

    @Test
    void expiresAfterFiveMinutes() {
        MutableClock clock = new MutableClock();
        Expectations e = new Expectations(clock);
        e.expectCreations("ns/a", 1);
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(e.satisfied("ns/a")).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(e.satisfied("ns/a")).isTrue();
    }
}
