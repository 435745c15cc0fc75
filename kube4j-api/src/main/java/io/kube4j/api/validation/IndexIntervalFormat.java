package io.kube4j.api.validation;

/**
 * Upstream's validateIndexesFormat for index lists such as a success policy rule's succeededIndexes ("0,2-4"):
 * intervals in increasing order, each below completions. The messages are upstream's.
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
