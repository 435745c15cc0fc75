package io.kube4j.api.validation;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks cron schedules the way CronJob validation does (robfig/cron's standard parser: five fields or an
 * {@code @descriptor}); {@link #check} returns the parser's error text, or null when the schedule parses.
 */
public final class CronSchedule {
    private CronSchedule() {
    }

    private record Bounds(int min, int max, Map<String, Integer> names) {
    }

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
    private static final List<Bounds> FIELDS = List.of(new Bounds(0, 59, null), new Bounds(0, 23, null),
            new Bounds(1, 31, null), new Bounds(1, 12, MONTHS), new Bounds(0, 6, DAYS));

    /** The parse error, or null when {@code spec} is a valid schedule. */
    public static String check(String spec) {
        if (spec.isEmpty()) {
            return "empty spec string";
        }
        String s = spec;
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            int eq = s.indexOf('=');
            int sp = s.indexOf(' ');
            String zone = sp < 0 ? s.substring(eq + 1) : s.substring(eq + 1, sp);
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                return "provided bad location " + zone + ": unknown time zone " + zone;
            }
            s = sp < 0 ? "" : s.substring(sp).strip();
        }
        if (s.startsWith("@")) {
            return descriptor(s);
        }
        String[] fields = s.strip().isEmpty() ? new String[0] : s.strip().split("\\s+");
        if (fields.length != 5) {
            return "expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]";
        }
        for (int i = 0; i < 5; i++) {
            for (String expr : fields[i].split(",", -1)) {
                String err = range(expr, FIELDS.get(i));
                if (err != null) {
                    return err;
                }
            }
        }
        return null;
    }

    private static String descriptor(String s) {
        switch (s) {
            case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly":
                return null;
            default:
                if (s.startsWith("@every ")) {
                    String d = s.substring("@every ".length());
                    if (!d.matches("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+")) {
                        return "failed to parse duration " + s + ": time: invalid duration " + GoFormat.quote(d);
                    }
                    return null;
                }
                return "unrecognized descriptor: " + s;
        }
    }

    private static String range(String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowAndHigh.length == 1;
        long start;
        long end;
        long step;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = b.min();
            end = b.max();
        } else {
            Object v = intOrName(lowAndHigh[0], b.names());
            if (v instanceof String err) {
                return err;
            }
            start = (Long) v;
            if (lowAndHigh.length == 1) {
                end = start;
            } else if (lowAndHigh.length == 2) {
                Object e = intOrName(lowAndHigh[1], b.names());
                if (e instanceof String err) {
                    return err;
                }
                end = (Long) e;
            } else {
                return "too many hyphens: " + expr;
            }
        }
        if (rangeAndStep.length == 1) {
            step = 1;
        } else if (rangeAndStep.length == 2) {
            Object st = parseInt(rangeAndStep[1]);
            if (st instanceof String err) {
                return err;
            }
            step = (Long) st;
            if (single) {
                end = b.max();
            }
        } else {
            return "too many slashes: " + expr;
        }
        if (start < b.min()) {
            return "beginning of range (" + start + ") below minimum (" + b.min() + "): " + expr;
        }
        if (end > b.max()) {
            return "end of range (" + end + ") above maximum (" + b.max() + "): " + expr;
        }
        if (start > end) {
            return "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr;
        }
        if (step == 0) {
            return "step of range should be a positive number: " + expr;
        }
        return null;
    }

    private static Object intOrName(String expr, Map<String, Integer> names) {
        if (names != null) {
            Integer v = names.get(expr.toLowerCase(Locale.ROOT));
            if (v != null) {
                return (long) v;
            }
        }
        return parseInt(expr);
    }

    /** A Long, or the error text of Go's strconv.Atoi / robfig's mustParseInt. */
    private static Object parseInt(String expr) {
        long n;
        try {
            if (!expr.matches("[+-]?[0-9]+")) {
                throw new NumberFormatException();
            }
            n = Long.parseLong(expr.startsWith("+") ? expr.substring(1) : expr);
        } catch (NumberFormatException e) {
            return "failed to parse int from " + expr + ": strconv.Atoi: parsing " + GoFormat.quote(expr) + ": invalid syntax";
        }
        if (n < 0) {
            return "negative number (" + n + ") not allowed: " + expr;
        }
        return n;
    }
}
