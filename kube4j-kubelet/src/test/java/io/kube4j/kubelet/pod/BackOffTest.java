package io.kube4j.kubelet.pod;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BackOffTest {
    @Test
    void doublesFromTenSecondsUpToFiveMinutes() {
        BackOff b = BackOff.crashLoop();
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(b.next("k", t)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.next("k", t)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.next("k", t)).isEqualTo(Duration.ofSeconds(40));
        for (int i = 0; i < 10; i++) {
            b.next("k", t);
        }
        assertThat(b.current("k")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void isInBackOffOnlyWithinTheDelayAfterTheLastExit() {
        BackOff b = BackOff.crashLoop();
        Instant exit = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(b.isInBackOffSince("k", exit, exit)).isFalse();
        b.next("k", exit);
        assertThat(b.isInBackOffSince("k", exit, exit.plusSeconds(5))).isTrue();
        assertThat(b.remaining("k", exit, exit.plusSeconds(4))).isEqualTo(Duration.ofSeconds(6));
        assertThat(b.isInBackOffSince("k", exit, exit.plusSeconds(11))).isFalse();
    }

    @Test
    void startsOverAfterTwiceTheMaximumWithoutFailures() {
        BackOff b = BackOff.crashLoop();
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        b.next("k", t);
        b.next("k", t);
        assertThat(b.next("k", t.plus(Duration.ofMinutes(11)))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void restartPolicyDecidesWhichExitsRestart() {
        assertThat(PodSyncer.shouldRestart("Always", 0)).isTrue();
        assertThat(PodSyncer.shouldRestart("OnFailure", 0)).isFalse();
        assertThat(PodSyncer.shouldRestart("OnFailure", 1)).isTrue();
        assertThat(PodSyncer.shouldRestart("Never", 1)).isFalse();
    }
}
