package io.kube4j.api.validation;

/**
 * Upstream's validateIndexesFormat for index lists such as a success policy rule's succeededIndexes or a Job's
 * status.completedIndexes ("0,2-4"): intervals in increasing order, each below completions. The messages are
 * upstream's.
 */
final class IndexIntervalFormat {
    private IndexIntervalFormat() {
    }

    /** The number of indexes the list names; throws IllegalArgumentException with upstream's message when malformed. */
    static long count(String indexes, long completions) {
        if (indexes.isEmpty()) {
            return 0;
        }
        Long last = null;
        long total = 0;
        for (String interval : indexes.split(",", -1)) {
            long[] bounds = parse(interval, completions);
            if (last != null && last >= bounds[0]) {
                throw new IllegalArgumentException("non-increasing order, previous: " + last + ", current: " + bounds[0]);
            }
            total += bounds[1] - bounds[0] + 1;
            last = bounds[1];
        }
        return total;
    }

    /**
     * The first index both lists name, or null when they are disjoint (upstream's
     * validateFailedIndexesNotOverlapCompleted). An interval that does not parse is skipped: its error is the
     * format check's to report.
     */
    static Long firstOverlap(String completed, String failed, long completions) {
        if (completed.isEmpty() || failed.isEmpty()) {
            return null;
        }
        String[] cs = completed.split(",", -1);
        String[] fs = failed.split(",", -1);
        int ci = 0;
        int fi = 0;
        long[] c = parsedOrNull(cs[0], completions);
        long[] f = parsedOrNull(fs[0], completions);
        while (ci < cs.length && fi < fs.length) {
            if (c != null && f != null && c[0] <= f[1] && f[0] <= c[1]) {
                return Math.max(c[0], f[0]);
            }
            if (c == null || (f != null && c[0] <= f[0])) {
                ci++;
                c = ci < cs.length ? parsedOrNull(cs[ci], completions) : null;
            } else {
                fi++;
                f = fi < fs.length ? parsedOrNull(fs[fi], completions) : null;
            }
        }
        return null;
    }

    private static long[] parsedOrNull(String interval, long completions) {
        try {
            return parse(interval, completions);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long[] parse(String interval, long completions) {
        String[] limits = interval.split("-", -1);
        if (limits.length > 2) {
            throw new IllegalArgumentException("the fragment " + GoFormat.quote(interval)
                    + " violates the requirement that an index interval can have at most two parts separated by '-'");
        }
        long first = number(limits[0], completions);
        if (limits.length == 1) {
            return new long[] {first, first};
        }
        long second = number(limits[1], completions);
        if (first >= second) {
            throw new IllegalArgumentException("non-increasing order, previous: " + first + ", current: " + second);
        }
        return new long[] {first, second};
    }

    private static long number(String s, long completions) {
        long v;
        try {
            // Go's strconv.Atoi accepts a sign; so does Long.parseLong
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot convert string to integer for index: " + GoFormat.quote(s));
        }
        if (v >= completions) {
            throw new IllegalArgumentException("too large index: " + GoFormat.quote(s));
        }
        return v;
    }
}
