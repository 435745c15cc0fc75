package io.kube4j.apiserver.resourcemetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4) as the kubelet's {@code /metrics/resource} writes
 * it: one sample a line, {@code name{label="value",...} value [timestampMillis]}, comments skipped. Lines it cannot
 * read are skipped too: one odd line must not hide a node's other samples.
 */
public final class PrometheusText {

    /** One sample; {@code timestampMillis} is -1 when the line has none. */
    public record Sample(String name, Map<String, String> labels, double value, long timestampMillis) {
        public Sample {
            labels = Map.copyOf(labels);
        }

        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private PrometheusText() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample sample = parseLine(line);
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    /** The sample on one line, or null if the line is malformed. */
    static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = readLabels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
            return null;
        }
        try {
            double value = parseValue(rest[0]);
            long timestamp = rest.length == 2 ? Long.parseLong(rest[1]) : -1;
            return new Sample(name, labels, value, timestamp);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code key="value",...}} from {@code start}; the index after the closing brace, or -1. */
    private static int readLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (true) {
            while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                i++;
            }
            if (i >= line.length()) {
                return -1;
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            boolean closed = false;
            while (j < line.length()) {
                char c = line.charAt(j);
                if (c == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(j + 1);
                    value.append(next == 'n' ? '\n' : next);
                    j += 2;
                } else if (c == '"') {
                    closed = true;
                    j++;
                    break;
                } else {
                    value.append(c);
                    j++;
                }
            }
            if (!closed) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j;
        }
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
