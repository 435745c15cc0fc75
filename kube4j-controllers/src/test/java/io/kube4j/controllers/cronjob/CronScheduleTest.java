package io.kube4j.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    static ZonedDateTime utc(String s) {
        return ZonedDateTime.parse(s).withZoneSameInstant(ZoneOffset.UTC);
    }

    @Test
    void stepsRangesAndLists() {
        CronSchedule s = CronSchedule.parse("*/15 9-17 * * MON-FRI", ZoneOffset.UTC);
        assertThat(s.next(utc("2025-01-03T17:50:00Z"))).isEqualTo(utc("2025-01-06T09:00:00Z"));
        assertThat(s.next(utc("2025-01-06T09:00:00Z"))).isEqualTo(utc("2025-01-06T09:15:00Z"));
        CronSchedule list = CronSchedule.parse("5,35 * * * *", ZoneOffset.UTC);
        assertThat(list.next(utc("2025-01-01T00:06:00Z"))).isEqualTo(utc("2025-01-01T00:35:00Z"));
    }

    @Test
    void macros() {
        assertThat(CronSchedule.parse("@hourly", ZoneOffset.UTC).next(utc("2025-01-01T10:30:00Z")))
                .isEqualTo(utc("2025-01-01T11:00:00Z"));
        assertThat(CronSchedule.parse("@daily", ZoneOffset.UTC).next(utc("2025-01-01T10:30:00Z")))
                .isEqualTo(utc("2025-01-02T00:00:00Z"));
        assertThat(CronSchedule.parse("@weekly", ZoneOffset.UTC).next(utc("2025-01-01T10:30:00Z")))
                .isEqualTo(utc("2025-01-05T00:00:00Z"));
        assertThat(CronSchedule.parse("@yearly", ZoneOffset.UTC).next(utc("2025-01-01T10:30:00Z")))
                .isEqualTo(utc("2026-01-01T00:00:00Z"));
    }

    @Test
    void dayOfMonthAndDayOfWeekAreOredWhenBothRestricted() {
        CronSchedule s = CronSchedule.parse("0 0 13 * FRI", ZoneOffset.UTC);
        // 2025-01-03 is a Friday, before the 13th.
        assertThat(s.next(utc("2025-01-01T00:00:00Z"))).isEqualTo(utc("2025-01-03T00:00:00Z"));
        assertThat(s.next(utc("2025-01-10T00:00:00Z"))).isEqualTo(utc("2025-01-13T00:00:00Z"));
    }

    @Test
    void timeZones() {
        CronSchedule s = CronSchedule.parse("0 9 * * *", ZoneId.of("Europe/Paris"));
        assertThat(s.next(utc("2025-01-01T00:00:00Z")).toInstant()).isEqualTo(utc("2025-01-01T08:00:00Z").toInstant());
        assertThat(s.next(utc("2025-07-01T00:00:00Z")).toInstant()).isEqualTo(utc("2025-07-01T07:00:00Z").toInstant());
    }

    @Test
    void rejectsBadSchedules() {
        assertThatThrownBy(() -> CronSchedule.parse("* * *", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("TZ=UTC * * * * *", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("@often", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
    }
}
