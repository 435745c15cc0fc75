package io.kube4j.bench.apiserver;

import java.util.Locale;

/**
 * Waits, before each measured block, until the server's process has gone quiet: after a warm-up or a phase its JIT
 * compilers keep compiling what just ran hot for seconds (on this 2-core machine C2 alone took most of a core for
 * ~10 s after the warm-up), and a phase started meanwhile measures the compiler, not the server. Both servers wait
 * the same way; the time waited is reported.
 */
final class Settling {
    /** Quiet: the server used less than this share of one core over a whole sampling interval. */
    private static final double QUIET_SHARE = 0.05;
    private static final long INTERVAL_MILLIS = 500;
    private static final long LIMIT_MILLIS = 60_000;

    private final ServerProcess server;
    private long waitedMillis;
    private int waits;
    private int timedOut;

    Settling(ServerProcess server) {
        this.server = server;
    }

    void await() throws InterruptedException {
        long start = System.nanoTime();
        double cpu = server.cpuSeconds();
        while (true) {
            Thread.sleep(INTERVAL_MILLIS);
            double now = server.cpuSeconds();
            boolean quiet = now - cpu < QUIET_SHARE * INTERVAL_MILLIS / 1000.0;
            cpu = now;
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (quiet || waited >= LIMIT_MILLIS) {
                waits++;
                waitedMillis += waited;
                timedOut += quiet ? 0 : 1;
                return;
            }
        }
    }

    String summary() {
        return String.format(Locale.ROOT, "settling before its %d measured blocks (server CPU under %.0f %% of a core"
                        + " for %d ms): %.1f s in all%s", waits, QUIET_SHARE * 100, INTERVAL_MILLIS,
                waitedMillis / 1000.0, timedOut == 0 ? "" : ", " + timedOut + " stopped at the 60 s limit");
    }
}
