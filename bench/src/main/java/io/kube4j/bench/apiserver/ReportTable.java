package io.kube4j.bench.apiserver;

import io.kube4j.bench.apiserver.ApiServerBench.BigListReport;
import io.kube4j.bench.apiserver.ApiServerBench.Memory;
import io.kube4j.bench.apiserver.ApiServerBench.ServerReport;
import io.kube4j.bench.apiserver.ApiServerBench.WatchReport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints the comparison: one row per phase, both servers side by side, then memory, watches and the aims. */
final class ReportTable {
    private final Map<String, ServerReport> reports;

    ReportTable(Map<String, ServerReport> reports) {
        this.reports = reports;
    }

    void print() {
        List<ServerReport> servers = new ArrayList<>(reports.values());
        ServerReport kube = reports.get("kube4j");
        ServerReport mock = reports.get("mock");
        System.out.println();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-40s", "phase"));
        for (ServerReport s : servers) {
            head.append(String.format(Locale.ROOT, " | %-8s %9s %8s %8s %5s", s.name, "ops/s", "p50 ms", "p99 ms",
                    "err"));
        }
        if (kube != null && mock != null) {
            head.append(" | k/m thr  k/m p99");
        }
        System.out.println(head);
        System.out.println("-".repeat(head.length()));
        Set<String> phases = new LinkedHashSet<>();
        servers.forEach(s -> phases.addAll(s.phases.keySet()));
        for (String phase : phases) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-40s", phase));
            for (ServerReport s : servers) {
                PhaseResult r = s.phases.get(phase);
                row.append(r == null ? String.format(Locale.ROOT, " | %-8s %9s %8s %8s %5s", "", "-", "-", "-", "-")
                        : String.format(Locale.ROOT, " | %-8s %9.1f %8.2f %8.2f %5d", r.capped() ? "capped" : "",
                                r.opsPerSecond(), r.percentileMillis(50), r.percentileMillis(99), r.errors()));
            }
            if (kube != null && mock != null && kube.phases.containsKey(phase) && mock.phases.containsKey(phase)) {
                PhaseResult k = kube.phases.get(phase);
                PhaseResult m = mock.phases.get(phase);
                row.append(String.format(Locale.ROOT, " | %6.2fx  %6.2fx", k.opsPerSecond() / m.opsPerSecond(),
                        k.percentileMillis(99) / m.percentileMillis(99)));
            }
            System.out.println(row);
        }
        System.out.println("('capped' = the phase hit its time cap before its op count; ops/s counts successful ops)");
        System.out.println();
        for (ServerReport s : servers) {
            StringBuilder mem = new StringBuilder(String.format(Locale.ROOT, "%-8s memory:", s.name));
            for (Map.Entry<String, Memory> e : s.memory.entrySet()) {
                mem.append(String.format(Locale.ROOT, "  %s heap %.0f MB / RSS %.0f MB;", e.getKey(),
                        e.getValue().heapBytes() / 1e6, e.getValue().rssKb() / 1024.0));
            }
            mem.append(String.format(Locale.ROOT, "  peak RSS %.0f MB", s.peakRssKb / 1024.0));
            System.out.println(mem);
        }
        if (kube != null && mock != null) {
            Memory k = kube.memory.get("loaded");
            Memory m = mock.memory.get("loaded");
            if (k != null && m != null) {
                System.out.println(String.format(Locale.ROOT, "kube4j/mock loaded: heap %.2fx, RSS %.2fx; peak RSS %.2fx",
                        (double) k.heapBytes() / m.heapBytes(), (double) k.rssKb() / m.rssKb(),
                        (double) kube.peakRssKb / mock.peakRssKb));
            }
        }
        System.out.println();
        printFloor(servers);
        for (ServerReport s : servers) {
            printBigList(s);
        }
        if (kube != null && mock != null && kube.bigList != null && mock.bigList != null) {
            System.out.println(String.format(Locale.ROOT, "big list kube4j/mock: %.2fx the body bytes per list",
                    (double) kube.bigList.bodyBytes() / Math.max(1, mock.bigList.bodyBytes())));
        }
        for (ServerReport s : servers) {
            printWatches(s);
        }
        for (ServerReport s : servers) {
            s.notes.forEach(n -> System.out.println(s.name + " " + n));
            s.phases.forEach((phase, r) -> {
                if (r.firstError() != null) {
                    System.out.println(s.name + " " + phase + " first error: " + r.firstError());
                }
            });
        }
        if (kube != null) {
            printAims(kube, mock);
        }
    }

    /**
     * Each server's round-trip floor (GET /version from the same client) and, for every CRUD row at the same client
     * count, its p50 above that floor: the part of an operation that is the server's own work rather than the
     * client's and HTTP's round trip.
     */
    private static void printFloor(List<ServerReport> servers) {
        boolean any = false;
        for (ServerReport s : servers) {
            for (Map.Entry<String, PhaseResult> e : s.phases.entrySet()) {
                if (!e.getKey().startsWith("floor c")) {
                    continue;
                }
                if (!any) {
                    System.out.println("round-trip floor (GET " + ApiServerBench.FLOOR_PATH + ", same client and"
                            + " concurrency) and each row's p50 above it:");
                    any = true;
                }
                String clients = e.getKey().substring("floor ".length(), e.getKey().indexOf(' ', "floor ".length()));
                PhaseResult floor = e.getValue();
                double base = floor.percentileMillis(50);
                StringBuilder above = new StringBuilder();
                for (Map.Entry<String, PhaseResult> row : s.phases.entrySet()) {
                    String[] words = row.getKey().split(" ");
                    if (words.length == 3 && words[1].equals(clients) && !words[0].equals("floor")) {
                        above.append(String.format(Locale.ROOT, " %s %s %.3f;", words[0], words[2],
                                row.getValue().percentileMillis(50) - base));
                    }
                }
                System.out.println(String.format(Locale.ROOT, "%-8s %s: floor %.0f ops/s, p50 %.3f ms, p99 %.3f ms%s",
                        s.name, clients, floor.opsPerSecond(), base, floor.percentileMillis(99),
                        above.isEmpty() ? "" : "; above the floor (p50 ms):" + above));
            }
        }
        if (any) {
            System.out.println();
        }
    }

    /** The 10,000-pod list: bytes, and how the reading time splits between server + wire and client decoding. */
    private static void printBigList(ServerReport s) {
        BigListReport b = s.bigList;
        if (b == null) {
            return;
        }
        PhaseResult raw = find(s, " raw, last byte");
        PhaseResult string = find(s, " JDK String");
        PhaseResult typed = find(s, " fabric8");
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "%-8s big list: %d items, %.2f MB body (%.2f MB on the wire, %d B/item); raw read: first byte %.1f ms,"
                        + " last byte p50 %.1f ms", s.name, b.items(), b.bodyBytes() / 1e6, b.wireBytes() / 1e6,
                b.bodyBytes() / Math.max(1, b.items()), b.firstByteNanos() / 1e6, millis(raw)));
        line.append(String.format(Locale.ROOT, "; as JDK String p50 %.1f ms; fabric8 PodList p50 %.1f ms",
                millis(string), millis(typed)));
        // the body's bytes over each reader's median time: how fast each way of reading moves this server's list
        line.append(String.format(Locale.ROOT, "; body MB/s at p50: raw %.0f, String %.0f, fabric8 %.0f",
                megabytesPerSecond(b.bodyBytes(), raw), megabytesPerSecond(b.bodyBytes(), string),
                megabytesPerSecond(b.bodyBytes(), typed)));
        if (raw != null && typed != null) {
            double r = millis(raw);
            double t = millis(typed);
            line.append(String.format(Locale.ROOT, " -> client decoding %.0f%% of the fabric8 read",
                    100 * (t - r) / t));
        }
        System.out.println(line);
    }

    private static double megabytesPerSecond(long bytes, PhaseResult r) {
        double ms = millis(r);
        return ms > 0 ? bytes / 1e6 / (ms / 1e3) : Double.NaN;
    }

    private static PhaseResult find(ServerReport s, String suffix) {
        for (Map.Entry<String, PhaseResult> e : s.phases.entrySet()) {
            if (e.getKey().startsWith("pods list") && e.getKey().endsWith(suffix)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static double millis(PhaseResult r) {
        return r == null ? Double.NaN : r.percentileMillis(50);
    }

    private static void printWatches(ServerReport s) {
        WatchReport w = s.watch;
        if (w == null) {
            return;
        }
        WatchProcesses.Summary sum = w.summary();
        System.out.println(String.format(Locale.ROOT,
                "%-8s watches (%s, %d watcher JVMs): %d/%d open %.0f ms after the JVMs were started (%d failed%s);"
                        + " burst of %d writes from 50 clients: %d ms from the first write sent to the last one"
                        + " answered", s.name, w.transport(), w.procs(), w.ready().established(), w.watchers(),
                w.openNanos() / 1e6, w.ready().failed(), w.ready().firstError() == null ? ""
                        : ", first error: " + w.ready().firstError(), w.writes(), w.spanMillis()));
        System.out.println(String.format(Locale.ROOT,
                "%-8s   %d/%d watches got every event (%d of %d events counted, %d duplicates, %d rejected lines, %d"
                        + " watches ended early%s; %d lines parsed, the rest matched a parsed line byte for byte)",
                "", w.fedMillis().length, w.watchers(), sum.valid(),
                (long) w.watchers() * w.writes(), sum.duplicates(), sum.rejected(), sum.ended(),
                sum.missing() > 0 ? ", " + sum.missing() + " watcher JVMs did not report" : "", sum.fullChecks()));
        String last = w.allFed() ? "" : " (NOT all fed: " + w.fedMillis().length + " of " + w.watchers() + ")";
        System.out.println(String.format(Locale.ROOT,
                "%-8s   watch fed, after the burst's first write: p50 %s, p99 %s, last %s; after its last write was"
                        + " answered: p50 %s, p99 %s, last %s%s", "", fmt(w.percentileMillis(50)),
                fmt(w.percentileMillis(99)), fmt(w.percentileMillis(100)), fmtAfter(w.afterLastWriteMillis(50)),
                fmtAfter(w.afterLastWriteMillis(99)), fmtAfter(w.afterLastWriteMillis(100)), last));
        System.out.println(String.format(Locale.ROOT, "%-8s   CPU from the burst until fed: server %.1f s, watcher JVMs"
                + " %.1f s, driver (writes) %.1f s; system calls: server writes %d, watcher reads %d (%.2f and %.2f"
                + " per event delivered)", "", w.cpu().server(), w.cpu().watchers(), w.cpu().driver(),
                w.cpu().serverWriteCalls(), w.cpu().watcherReadCalls(),
                w.cpu().serverWriteCalls() / (double) Math.max(1, sum.valid()),
                w.cpu().watcherReadCalls() / (double) Math.max(1, sum.valid())));
        if (sum.problem() != null) {
            System.out.println(String.format(Locale.ROOT, "%-8s   first problem: %s", "", sum.problem()));
        }
    }

    private static String fmt(long millis) {
        return millis < 0 ? "-" : String.format(Locale.ROOT, "%d ms", millis);
    }

    /** A time after the burst's last write, which a watch fed before that write's answer makes negative. */
    private static String fmtAfter(long millis) {
        return millis == Long.MIN_VALUE ? "-" : String.format(Locale.ROOT, "%d ms", millis);
    }

    private static void printAims(ServerReport kube, ServerReport mock) {
        System.out.println();
        System.out.println("aims (issue 3):");
        if (mock != null) {
            double min = Double.MAX_VALUE;
            String worst = "";
            for (Map.Entry<String, PhaseResult> e : kube.phases.entrySet()) {
                if (e.getKey().endsWith(" JDK String") || e.getKey().endsWith(" fabric8")) {
                    continue; // mostly the client decoding the list; the raw read is the server's row
                }
                if (e.getKey().startsWith("floor ")) {
                    continue; // the round trip every row pays, not an operation the aim is about
                }
                PhaseResult m = mock.phases.get(e.getKey());
                if (m != null && m.opsPerSecond() > 0) {
                    double ratio = e.getValue().opsPerSecond() / m.opsPerSecond();
                    if (ratio < min) {
                        min = ratio;
                        worst = e.getKey();
                    }
                }
            }
            if (worst.isEmpty()) {
                System.out.println("  >= 2x the mock's throughput: no operation rows in this run");
            } else {
                System.out.println(String.format(Locale.ROOT, "  >= 2x the mock's throughput: lowest ratio %.2fx (%s)"
                        + " -> %s", min, worst, min >= 2 ? "MET" : "NOT MET"));
            }
        }
        for (String phase : List.of("configmaps c50 create", "pods c50 create")) {
            PhaseResult r = kube.phases.get(phase);
            if (r != null) {
                System.out.println(String.format(Locale.ROOT, "  create p99 < 20 ms at 50 clients (%s): %.2f ms -> %s",
                        phase, r.percentileMillis(99), r.percentileMillis(99) < 20 ? "MET" : "NOT MET"));
            }
        }
        WatchReport w = kube.watch;
        if (w != null) {
            // "within 1 s of a 1,000-event burst" read both ways: from the burst's start and from its end
            boolean metFirst = w.allFed() && w.percentileMillis(100) < 1000;
            boolean metLast = w.allFed() && w.afterLastWriteMillis(100) < 1000;
            System.out.println(String.format(Locale.ROOT, "  %d watches fed within 1 s of the burst's first write:"
                            + " %s -> %s", w.watchers(), w.allFed() ? w.percentileMillis(100) + " ms"
                            : w.fedMillis().length + " fed", metFirst ? "MET" : "NOT MET"));
            System.out.println(String.format(Locale.ROOT, "  %d watches fed within 1 s of the burst's last write"
                            + " (answered %d ms after the first): %s -> %s", w.watchers(), w.spanMillis(),
                    w.allFed() ? w.afterLastWriteMillis(100) + " ms" : w.fedMillis().length + " fed",
                    metLast ? "MET" : "NOT MET"));
        }
    }
}
