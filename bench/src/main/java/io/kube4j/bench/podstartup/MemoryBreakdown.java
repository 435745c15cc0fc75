package io.kube4j.bench.podstartup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM's resident memory goes, from the kernel's side (/proc/PID/smaps_rollup and smaps, which count what is
 * really resident, file-backed pages such as libjvm and the CDS archive included) and from the JVM's side (Native
 * Memory Tracking through jcmd, only when the JVM was started with -XX:NativeMemoryTracking; NMT itself costs memory,
 * so it is for diagnostic runs, not for the figure).
 */
final class MemoryBreakdown {
    private static final Pattern MAPPING = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ \\S+ \\S+ \\S+ \\S+\\s*(.*)$");

    private MemoryBreakdown() {
    }

    /** The smaps_rollup lines worth printing (kB): Rss and how it splits. */
    static Map<String, Long> rollup(long pid) {
        Map<String, Long> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                String[] f = line.split(":\\s+");
                if (f.length == 2 && f[1].endsWith(" kB")) {
                    fields.put(f[0], Long.parseLong(f[1].substring(0, f[1].length() - 3).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return fields;
        }
        return fields;
    }

    /**
     * Resident kB per mapped file (anonymous memory as one "[anonymous]" entry, the heap, metaspace, stacks, code
     * cache and malloc all being in it), largest first.
     */
    static List<Map.Entry<String, Long>> byMapping(long pid) {
        Map<String, Long> rss = new TreeMap<>();
        try {
            String current = null;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
                Matcher m = MAPPING.matcher(line);
                if (m.matches()) {
                    String path = m.group(1).trim();
                    current = path.isEmpty() ? "[anonymous]" : path;
                } else if (line.startsWith("Rss:") && current != null) {
                    rss.merge(current, Long.parseLong(line.substring(4).trim().split("\\s+")[0]), Long::sum);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(rss.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return sorted;
    }

    /**
     * Which application class-data archive the JVM runs with, from its command line (e.g. given with --agent-jvm): its
     * size, or that the run writes one at exit, or none. Runs with and without one split their RSS differently (the agent's
     * archive is a 59 MB file mapping, nearly all resident, in place of ~30-40 MB of anonymous memory), so it is printed.
     */
    static String cdsArchive(long pid) {
        String[] args;
        try {
            args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).split("\0");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        for (String arg : args) {
            if (arg.startsWith("-XX:SharedArchiveFile=")) {
                Path archive = Path.of(arg.substring(arg.indexOf('=') + 1));
                try {
                    return archive + " (" + mb(Files.size(archive) / 1024) + " MB)";
                } catch (IOException e) {
                    return archive + " (" + e.getMessage() + ")";
                }
            }
            if (arg.startsWith("-XX:ArchiveClassesAtExit=")) {
                return "none: this run writes one at exit (-XX:ArchiveClassesAtExit)";
            }
        }
        return "none (only the JDK's own)";
    }

    static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.substring(8).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * The JVM's threads grouped by name with the numbers taken out ("pool-3-thread-12" -> "pool-#-thread-#"), most
     * numerous first: which part of the agent holds how many stacks.
     */
    static List<Map.Entry<String, Integer>> threadGroups(long pid) {
        Map<String, Integer> groups = new TreeMap<>();
        Pattern name = Pattern.compile("^\"([^\"]*)\"");
        for (String line : jcmd(pid, "Thread.print").split("\n")) {
            Matcher m = name.matcher(line);
            if (m.find()) {
                groups.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        return sorted;
    }

    /** Output of {@code jcmd PID COMMAND...} from this JVM's JDK, or the reason it failed. */
    static String jcmd(long pid, String... command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** "NAME reserved=..KB, committed=..KB" lines of an NMT summary, committed MB per category. */
    static Map<String, Double> nmtCommittedMb(String summary) {
        Map<String, Double> committed = new LinkedHashMap<>();
        Pattern category = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
        Pattern total = Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB");
        for (String line : summary.split("\n")) {
            Matcher t = total.matcher(line.trim());
            if (t.find()) {
                committed.put("Total", Long.parseLong(t.group(1)) / 1024.0);
            }
            Matcher m = category.matcher(line.trim());
            if (m.find()) {
                committed.put(m.group(1).trim(), Long.parseLong(m.group(2)) / 1024.0);
            }
        }
        return committed;
    }

    static String mb(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
