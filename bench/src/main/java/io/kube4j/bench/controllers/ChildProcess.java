package io.kube4j.bench.controllers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The controller manager's JVM as seen from the driver: heap after GC on request, CPU time and RSS from /proc. */
final class ChildProcess implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static ChildProcess start(String heap, Path log, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseParallelGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        String extra = System.getenv("CM_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            // e.g. CM_JAVA_OPTS=-XX:StartFlightRecording=filename=cm.jfr to profile the controller manager
            cmd.addAll(cmd.indexOf("-cp"), List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of(args));
        return new ChildProcess(new ProcessBuilder(cmd).redirectError(log.toFile()).start(), log);
    }

    void awaitLine(String expected) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(expected)) {
                return;
            }
            if (line.startsWith("FAILED")) {
                break;
            }
        }
        throw new IOException("controller manager did not print " + expected + "; see " + log);
    }

    long heapUsedAfterGc() throws IOException {
        in.write("heap\n");
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("HEAP ")) {
                return Long.parseLong(line.substring(5).trim());
            }
        }
        throw new IOException("controller manager exited; see " + log);
    }

    /** User + system CPU seconds the child has used (utime and stime of /proc/PID/stat). */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
