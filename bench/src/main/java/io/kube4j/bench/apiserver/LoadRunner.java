package io.kube4j.bench.apiserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one operation {@code ops} times from {@code clients} threads in a closed loop (each client sends its next
 * request when the previous one is answered), stopping early at a time cap so a slow server cannot stall the run.
 */
final class LoadRunner {
    /** One request; returns null on success or a description of the failure. */
    @FunctionalInterface
    interface Operation {
        String run(int index) throws Exception;
    }

    private LoadRunner() {
    }

    static PhaseResult run(int clients, int ops, double capSeconds, Operation op) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] latencies = new long[clients][];
        int[] done = new int[clients];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] deadline = new long[1];
        for (int c = 0; c < clients; c++) {
            int client = c;
            latencies[c] = new long[ops];
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                int i;
                while ((i = next.getAndIncrement()) < ops && System.nanoTime() < deadline[0]) {
                    long t0 = System.nanoTime();
                    String error;
                    try {
                        error = op.run(i);
                    } catch (Exception e) {
                        error = e.toString();
                    }
                    latencies[client][done[client]++] = System.nanoTime() - t0;
                    if (error != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                }
            }, "bench-client-" + c);
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (capSeconds * 1e9);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        int total = 0;
        for (int d : done) {
            total += d;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, done[c]);
            at += done[c];
        }
        return PhaseResult.of(total, errors.get(), elapsed, all, firstError.get(), total < ops);
    }
}
