package io.kube4j.api.protobuf;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The JSON forms Go gives meta.v1.Time, meta.v1.MicroTime and meta.v1.Duration. */
public final class GoTime {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private GoTime() {
    }

    /** RFC 3339 in UTC with seconds precision, as metav1.Time marshals. */
    static String time(long seconds, int nanos) {
        return SECONDS.format(Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.UTC));
    }

    /** RFC 3339 in UTC with exactly 6 fraction digits, as metav1.MicroTime marshals. */
    static String microTime(long seconds, int nanos) {
        return microTime(Instant.ofEpochSecond(seconds, nanos));
    }

    /** {@code instant} as metav1.MicroTime marshals it (a Lease's renewTime). */
    public static String microTime(Instant instant) {
        return MICROS.format(instant.atOffset(ZoneOffset.UTC));
    }

    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time: " + text, e);
        }
    }

    /** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        boolean negative = nanos < 0;
        // Long.MIN_VALUE has no positive counterpart; Go prints it through unsigned arithmetic the same way.
        long u = negative ? -nanos : nanos;
        if (negative) {
            out.append('-');
        }
        if (u > 0 && u < 1_000_000_000L) {
            if (u < 1_000L) {
                return out.append(u).append("ns").toString();
            }
            if (u < 1_000_000L) {
                return out.append(fraction(u, 3)).append("µs").toString();
            }
            return out.append(fraction(u, 6)).append("ms").toString();
        }
        long hours = u / 3_600_000_000_000L;
        long rest = u % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        long secNanos = rest % 60_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(fraction(secNanos, 9)).append('s').toString();
    }

    private static String fraction(long value, int digits) {
        long unit = 1;
        for (int i = 0; i < digits; i++) {
            unit *= 10;
        }
        long whole = value / unit;
        long frac = value % unit;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + digits + "d", frac);
        int end = f.length();
        while (end > 0 && f.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + f.substring(0, end);
    }

    /** Go's time.ParseDuration, in nanoseconds (Kubernetes flags such as {@code 15s} or {@code 1m30s} use it). */
    public static long parseDuration(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        boolean negative = false;
        int i = 0;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (s.substring(i).equals("0")) {
            return 0;
        }
        double total = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("invalid duration " + text);
            }
            double number = Double.parseDouble(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            total += number * unitNanos(s.substring(unitStart, i), text);
        }
        long result = Math.round(total);
        return negative ? -result : result;
    }

    private static double unitNanos(String unit, String text) {
        switch (unit) {
            case "ns":
                return 1;
            case "us":
            case "µs":
            case "μs":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            case "m":
                return 60e9;
            case "h":
                return 3600e9;
            default:
                throw new IllegalArgumentException("unknown unit '" + unit + "' in duration " + text);
        }
    }
}
