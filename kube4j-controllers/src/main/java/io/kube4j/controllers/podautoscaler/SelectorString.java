package io.kube4j.controllers.podautoscaler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Matches the string form of a label selector (Scale's status.selector, e.g. {@code app=web,tier in (a,b)}). */
final class SelectorString {
    private SelectorString() {
    }

    /** An empty selector selects nothing here: an autoscaler must not act on every pod of a namespace. */
    static boolean matches(String selector, Map<String, String> labels) {
        if (selector == null || selector.isBlank()) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (String term : terms(selector)) {
            if (!matchesTerm(term.trim(), l)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> terms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static boolean matchesTerm(String term, Map<String, String> labels) {
        if (term.contains("!=")) {
            String[] kv = term.split("!=", 2);
            return !kv[1].trim().equals(labels.get(kv[0].trim()));
        }
        if (term.contains("=")) {
            String[] kv = term.split("==?", 2);
            return kv[1].trim().equals(labels.get(kv[0].trim()));
        }
        String[] words = term.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in") || words[1].startsWith("notin"))) {
            boolean in = words[1].startsWith("in");
            String list = words[1].substring(words[1].indexOf('(') + 1, words[1].lastIndexOf(')'));
            boolean contained = false;
            for (String v : list.split(",")) {
                if (v.trim().equals(labels.get(words[0]))) {
                    contained = true;
                }
            }
            return in ? contained : !contained;
        }
        if (term.startsWith("!")) {
            return !labels.containsKey(term.substring(1).trim());
        }
        return labels.containsKey(term);
    }
}
