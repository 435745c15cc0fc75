package io.kube4j.kubelet.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a CRI log file, without its "timestamp stream tag" prefixes. */
public final class LogTail {
    private LogTail() {
    }

    public static String lastLines(Path file, int lines, int maxBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
            out.append(content(line));
            if (!isPartial(line)) {
                out.append('\n');
            }
        }
        String text = out.toString();
        return text.length() > maxBytes ? text.substring(text.length() - maxBytes) : text;
    }

    /** CRI log line: {@code <RFC3339Nano> <stdout|stderr> <F|P> <content>}. */
    public static String content(String line) {
        String[] parts = line.split(" ", 4);
        return parts.length == 4 ? parts[3] : parts.length == 3 ? "" : line;
    }

    public static boolean isPartial(String line) {
        String[] parts = line.split(" ", 4);
        return parts.length >= 3 && parts[2].equals("P");
    }
}
