package io.kube4j.bench.apiserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The parent's side of the watch fan-out: starts watcher processes ({@link WatchChild}, same java and class path
 * as this JVM) that share the watches between them, collects their READY, FED and SUMMARY lines, and kills them
 * when done, on failure, and if this JVM is stopped.
 */
final class WatchProcesses implements AutoCloseable {
    /** How the opening went, over all processes. */
    record Ready(int established, int failed, String firstError) {
    }

    /**
     * What the processes counted, over all of them; {@code fullChecks} lines were parsed (the others matched a
     * parsed line byte for byte); {@code missing} processes never reported.
     */
    record Summary(int fed, long valid, long duplicates, long rejected, int ended, long fullChecks, int missing,
                   String problem) {
    }

    private final List<Child> children = new ArrayList<>();
    private final AtomicLongArray fedAt;
    private final AtomicInteger fedCount = new AtomicInteger();
    private final Object fedChanged = new Object();
    private final Thread killer = new Thread(this::destroyAll, "watch-processes-killer");

    private WatchProcesses(int watchers) {
        this.fedAt = new AtomicLongArray(watchers);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts {@code procs} processes holding {@code watchers} watches between them on {@code pathAndQuery} of the
     * server at {@code port}, each watch expecting {@code events} ADDED events named {@code prefix + index}.
     */
    static WatchProcesses start(int procs, int watchers, int port, String pathAndQuery, boolean websocket,
                                int events, String prefix, int readPauseMillis, Path logDir) throws IOException {
        WatchProcesses p = new WatchProcesses(watchers);
        try {
            Files.createDirectories(logDir);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            int first = 0;
            for (int k = 0; k < procs; k++) {
                int share = watchers / procs + (k < watchers % procs ? 1 : 0);
                if (share == 0) {
                    continue;
                }
                // C1 only: with C2, the watchers' compiler threads used 1.7 of their 2.0 s of CPU during the burst
                // (re-compiling the reading path for the socket code and call sites the synthetic warm-up did not
                // take), on the 2 cores the server under test needs; C1 code reads the million events in ~0.4 s
                List<String> cmd = List.of(java, "-Xmx256m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"), WatchChild.class.getName(),
                        "--port", Integer.toString(port), "--path", pathAndQuery,
                        "--transport", websocket ? "ws" : "http", "--watches", Integer.toString(share),
                        "--events", Integer.toString(events), "--prefix", prefix,
                        "--first-index", Integer.toString(first), "--read-pause-ms", Integer.toString(readPauseMillis));
                Process process = new ProcessBuilder(cmd).redirectError(logDir.resolve("watcher-" + k + ".log")
                        .toFile()).start();
                p.children.add(p.new Child(k, process));
                first += share;
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** Waits until every process has opened its watches (or given up on some); null fields if one never said. */
    Ready awaitReady(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int established = 0;
        int failed = 0;
        String firstError = null;
        for (Child c : children) {
            if (!c.ready.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                firstError = firstError != null ? firstError : "watcher " + c.id + " not ready in time";
                continue;
            }
            established += c.established;
            failed += c.failed;
            if (firstError == null && c.readyError != null) {
                firstError = c.readyError;
            }
        }
        return new Ready(established, failed, firstError);
    }

    /**
     * Waits until {@code expected} watches are fed or the deadline (System.currentTimeMillis) passes; returns
     * when each watch was fed, epoch millis, 0 for a watch never fed.
     */
    long[] awaitFed(int expected, long deadlineMillis) throws InterruptedException {
        synchronized (fedChanged) {
            long now;
            while (fedCount.get() < expected && (now = System.currentTimeMillis()) < deadlineMillis
                    && children.stream().anyMatch(c -> c.process.isAlive())) {
                fedChanged.wait(Math.max(1, deadlineMillis - now));
            }
        }
        long[] out = new long[fedAt.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fedAt.get(i);
        }
        return out;
    }

    /** Asks every process for its counts and to exit; waits up to the timeout for their answers. */
    Summary stop(long timeoutMillis) throws InterruptedException {
        for (Child c : children) {
            c.send("stop\n");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int fed = 0;
        long valid = 0;
        long duplicates = 0;
        long rejected = 0;
        int ended = 0;
        long fullChecks = 0;
        int missing = 0;
        String problem = null;
        for (Child c : children) {
            if (!c.summarised.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                missing++;
                continue;
            }
            String[] f = c.summary.split(" ", 8);
            fed += Integer.parseInt(f[1]);
            valid += Long.parseLong(f[2]);
            duplicates += Long.parseLong(f[3]);
            rejected += Long.parseLong(f[4]);
            ended += Integer.parseInt(f[5]);
            fullChecks += Long.parseLong(f[6]);
            if (problem == null && !f[7].equals("-")) {
                problem = f[7];
            }
        }
        return new Summary(fed, valid, duplicates, rejected, ended, fullChecks, missing, problem);
    }

    /** CPU time the watcher processes have used so far, in seconds (read while they run). */
    double cpuSeconds() {
        double sum = 0;
        for (Child c : children) {
            sum += ProcessCpu.seconds(c.process.toHandle());
        }
        return sum;
    }

    /** {read calls, write calls} the watcher processes have made so far. */
    long[] syscalls() {
        long[] sum = new long[2];
        for (Child c : children) {
            long[] n = ProcessSyscalls.of(c.process.pid());
            sum[0] += n[0];
            sum[1] += n[1];
        }
        return sum;
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook is running or ran
        }
    }

    private void destroyAll() {
        for (Child c : children) {
            c.destroy();
        }
    }

    /** One watcher process and the thread reading its stdout. */
    private final class Child {
        final int id;
        final Process process;
        final OutputStream stdin;
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch summarised = new CountDownLatch(1);
        volatile int established;
        volatile int failed;
        volatile String readyError;
        volatile String summary;

        Child(int id, Process process) {
            this.id = id;
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(this::read, "watcher-" + id + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("FED ")) {
                        String[] f = line.split(" ");
                        fedAt.set(Integer.parseInt(f[1]), Long.parseLong(f[2]));
                        fedCount.incrementAndGet();
                        synchronized (fedChanged) {
                            fedChanged.notifyAll();
                        }
                    } else if (line.startsWith("READY ")) {
                        String[] f = line.split(" ", 4);
                        established = Integer.parseInt(f[1]);
                        failed = Integer.parseInt(f[2]);
                        readyError = f[3].equals("-") ? null : f[3];
                        ready.countDown();
                    } else if (line.startsWith("SUMMARY ")) {
                        summary = line;
                        summarised.countDown();
                    }
                }
            } catch (IOException | RuntimeException e) {
                readyError = "watcher " + id + " output: " + e;
            } finally {
                // a process that died early must not leave the parent waiting for it
                if (ready.getCount() > 0 && readyError == null) {
                    readyError = "watcher " + id + " exited before it was ready (see its log)";
                }
                ready.countDown();
                synchronized (fedChanged) {
                    fedChanged.notifyAll();
                }
            }
        }

        void send(String line) {
            try {
                stdin.write(line.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException ignored) {
                // the process is gone; stop() counts it as missing
            }
        }

        void destroy() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already closed
            }
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
