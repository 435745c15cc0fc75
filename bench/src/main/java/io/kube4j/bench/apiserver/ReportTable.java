package io.kube4j.bench.apiserver;

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
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-34s", "phase"));
        for (ServerReport s : servers) {
            head.append(String.format(Locale.ROOT, " | %-8s %9s %8s %8s %5s", s.name, "ops/s", "p50 ms", "p99 ms", "err"));
        }
        if (kube != null && mock != null) {
            head.append(" | k/m thr  k/m p99");
        }
        System.out.println(head);
        System.out.println("-".repeat(head.length()));
        Set<String> phases = new LinkedHashSet<>();
        servers.forEach(s -> phases.addAll(s.phases.keySet()));
        for (String phase : phases) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-34s", phase));
            for (ServerReport s : servers) {
                PhaseResult r = s.phases.get(phase);
                row.append(r == null ? String.format(Locale.ROOT, " | %-8s %9s %8s %8s %5s", "", "-", "-", "-", "-")
                        : String.format(Locale.ROOT, " | %-8s %9.0f %8.2f %8.2f %5d", r.ops() < expected(s, phase, r)
                                ? "capped" : "", r.opsPerSecond(), r.percentileMillis(50), r.percentileMillis(99),
                                r.errors()));
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
        for (ServerReport s : servers) {
            WatchReport w = s.watch;
            if (w == null) {
                continue;
            }
            System.out.println(String.format(Locale.ROOT,
                    "%-8s watches (%s): %d/%d established in %.0f ms; burst of writes took %.0f ms; %d/%d watches got"
                            + " every event (%d of %d events delivered); p50 watch fed %.0f ms, all fed %s after the burst's first write; extra"
                            + " events %d%s",
                    s.name, w.transport(), w.established(), w.watchers(), w.openNanos() / 1e6, w.burstNanos() / 1e6,
                    w.fed(), w.watchers(), w.eventsReceived(), (long) w.watchers() * s.phases.get("watch burst writes (c50 create)").ops(),
                    w.p50FedNanos() / 1e6,
                    w.fed() == w.watchers() ? String.format(Locale.ROOT, "%.0f ms", w.allFedNanos() / 1e6) : "NEVER",
                    w.overCount(), w.firstError() == null ? "" : "; first error: " + w.firstError()));
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

    private static int expected(ServerReport s, String phase, PhaseResult r) {
        return phase.startsWith("pods list") ? 3 : r.ops();
    }

    private static void printAims(ServerReport kube, ServerReport mock) {
        System.out.println();
        System.out.println("aims (issue 3):");
        if (mock != null) {
            double min = Double.MAX_VALUE;
            String worst = "";
            for (Map.Entry<String, PhaseResult> e : kube.phases.entrySet()) {
                PhaseResult m = mock.phases.get(e.getKey());
                if (m != null && m.opsPerSecond() > 0) {
                    double ratio = e.getValue().opsPerSecond() / m.opsPerSecond();
                    if (ratio < min) {
                        min = ratio;
                        worst = e.getKey();
                    }
                }
            }
            System.out.println(String.format(Locale.ROOT, "  >= 2x the mock's throughput: lowest ratio %.2fx (%s) -> %s",
                    min, worst, min >= 2 ? "MET" : "NOT MET"));
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
            boolean met = w.fed() == w.watchers() && w.allFedNanos() < 1_000_000_000L;
            System.out.println(String.format(Locale.ROOT, "  %d watches fed within 1 s of the burst: %s -> %s",
                    w.watchers(), w.fed() == w.watchers() ? String.format(Locale.ROOT, "%.0f ms",
                            w.allFedNanos() / 1e6) : w.fed() + " fed", met ? "MET" : "NOT MET"));
        }
    }
}
