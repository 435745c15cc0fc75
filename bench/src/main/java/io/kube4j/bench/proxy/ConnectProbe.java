package io.kube4j.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Child process in the "node" namespace: TCP connection set-up time (connect() until established) to each of
 * several targets, interleaved so that machine noise hits them alike. Prints one line per target:
 * {@code TARGET p50 p90 p99 mean} in microseconds.
 */
public final class ConnectProbe {
    private ConnectProbe() {
    }

    /** Arguments: COUNT WARMUP HOST:PORT... */
    public static void main(String[] args) throws IOException {
        int count = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] hp = args[i].split(":");
            targets.add(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
        }
        long[][] samples = new long[targets.size()][count];
        for (int i = -warmup; i < count; i++) {
            for (int t = 0; t < targets.size(); t++) {
                long nanos = connect(targets.get(t));
                if (i >= 0) {
                    samples[t][i] = nanos;
                }
            }
        }
        for (int t = 0; t < targets.size(); t++) {
            long[] s = samples[t];
            Arrays.sort(s);
            double mean = Arrays.stream(s).average().orElse(0);
            System.out.printf("%s %.1f %.1f %.1f %.1f%n", args[t + 2], s[rank(s, 50)] / 1e3, s[rank(s, 90)] / 1e3,
                    s[rank(s, 99)] / 1e3, mean / 1e3);
        }
    }

    private static int rank(long[] sorted, double p) {
        return Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1));
    }

    private static long connect(InetSocketAddress target) throws IOException {
        try (Socket s = new Socket()) {
            // reset on close: no TIME_WAIT left behind to exhaust local ports over many connections
            s.setSoLinger(true, 0);
            long start = System.nanoTime();
            s.connect(target, 5000);
            return System.nanoTime() - start;
        }
    }
}
