package io.kube4j.bench.apiserver;

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

/**
 * A server under test in its own JVM (same classpath and heap limit for both), so its memory is its own: RSS
 * and peak RSS from /proc, heap used from the child itself after a full GC.
 */
final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int port;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.port = Integer.parseInt(expect("PORT "));
    }

    /** {@code jvmOptions} come after the heap options (so they may override them); {name} in them becomes name. */
    static ServerProcess start(String name, Class<?> main, String heap, List<String> jvmOptions, Path dir,
                               String... args) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xms64m"));
        jvmOptions.forEach(o -> cmd.add(o.replace("{name}", name)));
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        return new ServerProcess(name, p, log);
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Heap used after a full GC in the child, in bytes. */
    long heapUsed() throws IOException {
        in.write("heap\n");
        in.flush();
        return Long.parseLong(expect("HEAP "));
    }

    /** Bytes the server's live threads have allocated since they started. */
    long allocatedBytes() throws IOException {
        in.write("alloc\n");
        in.flush();
        return Long.parseLong(expect("ALLOC "));
    }

    /** CPU time the server's JVM has used since it started, in seconds. */
    double cpuSeconds() {
        return ProcessCpu.seconds(process.toHandle());
    }

    /** Resident set size now, in KiB. */
    long rssKb() throws IOException {
        return status("VmRSS:");
    }

    /** Peak resident set size since start, in KiB. */
    long peakRssKb() throws IOException {
        return status("VmHWM:");
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " not found for " + name);
    }

    private String expect(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IOException(name + " exited before printing '" + prefix + "'; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
