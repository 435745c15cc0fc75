package io.kube4j.controllers.cronjob;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule (minute hour day-of-month month day-of-week) with the
 * {@code @hourly}-style macros, evaluated in a time zone, with robfig/cron's rule (used by
 * Kubernetes) that day-of-month and day-of-week are OR-ed unless either is a wildcard.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domStar;
    private final boolean dowStar;
    private final ZoneId zone;

    private CronSchedule(String[] f, ZoneId zone) {
        this.minutes = field(f[0], 0, 59, null);
        this.hours = field(f[1], 0, 23, null);
        this.daysOfMonth = field(f[2], 1, 31, null);
        this.months = field(f[3], 1, 12, MONTHS);
        BitSet dow = field(f[4], 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.domStar = f[2].startsWith("*") || f[2].startsWith("?");
        this.dowStar = f[4].startsWith("*") || f[4].startsWith("?");
        this.zone = zone;
    }

    public static CronSchedule parse(String spec, ZoneId zone) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty schedule");
        }
        String s = spec.trim();
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("CRON_TZ or TZ used in schedule \"" + spec + "\" is not officially supported, "
                    + "see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        }
        if (s.startsWith("@")) {
            String m = MACROS.get(s.toLowerCase(Locale.ROOT));
            if (m == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + s);
            }
            s = m;
        }
        String[] f = s.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + f.length + ": " + spec);
        }
        return new CronSchedule(f, zone);
    }

    private static BitSet field(String expr, int min, int max, String[] names) {
        BitSet bits = new BitSet();
        for (String part : expr.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
                if (step <= 0) {
                    throw new IllegalArgumentException("step must be positive: " + part);
                }
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max == 7 ? 6 : max;
            } else {
                int dash = range.indexOf('-');
                lo = value(dash < 0 ? range : range.substring(0, dash), names, min);
                hi = dash < 0 ? (slash >= 0 ? (max == 7 ? 6 : max) : lo) : value(range.substring(dash + 1), names, min);
            }
            if (lo < min || hi > max || lo > hi) {
                throw new IllegalArgumentException("value out of range [" + min + "," + max + "]: " + part);
            }
            for (int i = lo; i <= hi; i += step) {
                bits.set(i);
            }
        }
        return bits;
    }

    private static int value(String s, String[] names, int min) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(s)) {
                    return i + min;
                }
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse int from " + s);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        return domStar || dowStar ? dom && dow : dom || dow;
    }

    /** The first activation strictly after the given time, or null if none within five years. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime t = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return t;
        }
        return null;
    }
}
