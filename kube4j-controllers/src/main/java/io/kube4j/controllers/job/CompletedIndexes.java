package io.kube4j.controllers.job;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The interval format of status.completedIndexes and status.failedIndexes ("1,3-5,7"), as upstream's orderedIntervals:
 * a run of three or more indexes is written as a range, a pair as two single indexes ("3,4", not "3-4").
 */
public final class CompletedIndexes {
    private CompletedIndexes() {
    }

    public static TreeSet<Integer> parse(String s, int completions) {
        TreeSet<Integer> out = new TreeSet<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                for (int i = from; i <= to && i < completions; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException ignored) {
                // upstream ignores malformed intervals too
            }
        }
        return out;
    }

    public static String format(TreeSet<Integer> indexes) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (start == null) {
                start = i;
            } else if (i != prev + 1) {
                parts.add(run(start, prev));
                start = i;
            }
            prev = i;
        }
        if (start != null) {
            parts.add(run(start, prev));
        }
        return String.join(",", parts);
    }

    private static String run(int first, int last) {
        if (first == last) {
            return "" + first;
        }
        return first + (last == first + 1 ? "," : "-") + last;
    }
}
