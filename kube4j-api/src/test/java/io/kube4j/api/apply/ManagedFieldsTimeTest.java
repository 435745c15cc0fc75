package io.kube4j.api.apply;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** managedFields times read by the fast path for the written form agree with the general RFC 3339 parser. */
class ManagedFieldsTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T03:30:05Z", "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-26t03:30:05z", "2026-11-26T03:30:05.123Z",
            "2026-11-26T03:30:05+02:00", "2026-11-26T03:30:05.9-07:30"})
    void acceptedTimesAreReadAsTheGeneralParserReadsThem(String time) {
        Instant general = OffsetDateTime.parse(time, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                .truncatedTo(ChronoUnit.SECONDS);
        assertThat(ManagedFields.parseTime(time)).isEqualTo(general);
        assertThat(ManagedFields.parseTime(ManagedFields.formatTime(general))).isEqualTo(general);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 59L, 951_782_400L /* 2000-02-29 */, 1_795_000_000L, 1_795_000_000_999L,
            253_402_300_799L /* 9999-12-31T23:59:59 */, 253_402_300_800L /* 10000-01-01 */, -1L, -62_135_596_800L /* 0001-01-01 */})
    void timesAreWrittenAsIsoInstantWritesThemTruncatedToSeconds(long epochSecond) {
        Instant time = Instant.ofEpochSecond(epochSecond, 999_999_999);
        assertThat(ManagedFields.formatTime(time))
                .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T23:60:00Z", "2026-11-26T23:59:60Z",
            "2026-1a-26T03:30:05Z", "2026-11-26 03:30:05Z", "2026-11-26T03:30:05", "yesterday", ""})
    void refusedTimesAreRefusedAsTheGeneralParserRefusesThem(String time) {
        assertThatThrownBy(() -> OffsetDateTime.parse(time, DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> ManagedFields.parseTime(time)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid managedFields time");
    }
}
