package io.kube4j.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

    private static String f(Duration d) {
        return HumanDuration.format(d);
    }

    @Test
    void upstreamCases() {
        assertThat(f(Duration.ofSeconds(-2))).isEqualTo("<invalid>");
        assertThat(f(Duration.ofMillis(-1500))).isEqualTo("0s");
        assertThat(f(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(f(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(f(Duration.ofSeconds(123))).isEqualTo("2m3s");
        assertThat(f(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(f(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(f(Duration.ofMinutes(179))).isEqualTo("179m");
        assertThat(f(Duration.ofMinutes(185))).isEqualTo("3h5m");
        assertThat(f(Duration.ofHours(3))).isEqualTo("3h");
        assertThat(f(Duration.ofHours(8).plusMinutes(5))).isEqualTo("8h");
        assertThat(f(Duration.ofHours(47))).isEqualTo("47h");
        assertThat(f(Duration.ofHours(51))).isEqualTo("2d3h");
        assertThat(f(Duration.ofDays(3))).isEqualTo("3d");
        assertThat(f(Duration.ofDays(8))).isEqualTo("8d");
        assertThat(f(Duration.ofDays(300))).isEqualTo("300d");
        assertThat(f(Duration.ofDays(729))).isEqualTo("729d");
        assertThat(f(Duration.ofDays(365 * 3 + 20))).isEqualTo("3y20d");
        assertThat(f(Duration.ofDays(365 * 2))).isEqualTo("2y");
        assertThat(f(Duration.ofDays(365 * 9))).isEqualTo("9y");
    }

    @Test
    void sinceTimestamps() {
        Instant now = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(HumanDuration.since("2024-05-01T11:55:00Z", now)).isEqualTo("5m");
        assertThat(HumanDuration.since("2024-05-01T13:55:00+02:00", now)).isEqualTo("5m");
        assertThat(HumanDuration.since("", now)).isEqualTo("<unknown>");
        assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
    }
}
