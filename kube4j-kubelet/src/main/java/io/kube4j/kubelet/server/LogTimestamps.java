package io.kube4j.kubelet.server;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The timestamp {@code kubectl logs --timestamps} prints before each line. The CRI log file carries the writer's
 * own form: conmon writes local time with a numeric offset ({@code 2026-11-26T05:00:00.123456789+00:00}), containerd
 * Go's RFC3339Nano with trailing zeros dropped. Upstream's kubelet re-formats every timestamp with RFC3339NanoFixed
 * (always nine fraction digits), and prints a zero offset as {@code Z}; lines are written here in UTC, so the prefix
 * is the same whichever runtime wrote the file and sorts as text.
 */
final class LogTimestamps {
    private static final DateTimeFormatter FIXED_NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

    private LogTimestamps() {
    }

    /** The CRI timestamp in upstream's output form, or the text as it is when it is not an RFC 3339 time. */
    static String format(String criTimestamp) {
        try {
            return FIXED_NANOS.format(OffsetDateTime.parse(criTimestamp, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .withOffsetSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return criTimestamp;
        }
    }
}
