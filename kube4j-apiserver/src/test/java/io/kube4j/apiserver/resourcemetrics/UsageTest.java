package io.kube4j.apiserver.resourcemetrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void cpuIsTheRateBetweenTwoPointsAndMemoryTheLaterWorkingSet() {
        CumulativePoint earlier = new CumulativePoint(1_000_000_000L, 10 << 20, T0);
        CumulativePoint later = new CumulativePoint(1_000_000_000L + 3_000_000_000L, 20 << 20, T0.plusSeconds(15));

        Usage usage = Usage.between(earlier, later);

        assertThat(usage.nanoCores()).isEqualTo(200_000_000L);
        assertThat(usage.cpu().toString()).isEqualTo("200m");
        assertThat(usage.memory().toString()).isEqualTo("20Mi");
        assertThat(usage.timestamp()).isEqualTo(T0.plusSeconds(15));
        assertThat(usage.window()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void keepsNanocorePrecisionAsMetricsServerWritesIt() {
        Usage usage = Usage.between(new CumulativePoint(0, 1536, T0),
                new CumulativePoint(12_345_678L, 1536, T0.plusSeconds(1)));

        assertThat(usage.cpu().toString()).isEqualTo("12345678n");
        assertThat(usage.cpu().milliValue()).isEqualTo(13);
        assertThat(usage.memory().toString()).isEqualTo("1536");
    }

    @Test
    void noRateWithoutTimeBetweenPointsOrWhenTheCounterWentBack() {
        CumulativePoint point = new CumulativePoint(5_000, 1, T0);

        assertThat(Usage.between(point, point)).isNull();
        assertThat(Usage.between(point, new CumulativePoint(4_000, 1, T0.plusSeconds(1)))).isNull();
        assertThat(Usage.between(point, new CumulativePoint(6_000, 1, T0.minusSeconds(1)))).isNull();
    }

    @Test
    void largeCountersDoNotOverflow() {
        long tenYearsOfEightCores = 8L * 10 * 365 * 24 * 3600 * 1_000_000_000L;
        Usage usage = Usage.between(new CumulativePoint(tenYearsOfEightCores, 0, T0),
                new CumulativePoint(tenYearsOfEightCores + 16_000_000_000L, 0, T0.plusSeconds(2)));

        assertThat(usage.cpu().toString()).isEqualTo("8");
    }

    @Test
    void windowsAreWrittenAsGoDurations() {
        assertThat(GoDuration.format(Duration.ofMillis(15_002))).isEqualTo("15.002s");
        assertThat(GoDuration.format(Duration.ofSeconds(15))).isEqualTo("15s");
        assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(GoDuration.format(Duration.ofMillis(60_500))).isEqualTo("1m0.5s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }
}
