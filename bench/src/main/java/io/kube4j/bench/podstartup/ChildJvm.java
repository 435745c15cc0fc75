package io.kube4j.bench.podstartup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A component in a JVM of its own, started from the bench's class path, its output in a log file. */
final class ChildJvm implements AutoCloseable {
    final String name;
    final String flags;
    private final Process process;

    private ChildJvm(String name, String flags, Process process) {
        this.name = name;
        this.flags = flags;
        this.process = process;
    }

    static ChildJvm start(String name, String flags, String classpath, Path log, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(flags.trim().split("\\s+")));
        command.addAll(List.of("-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // glibc gives each thread that allocates its own malloc arena; the JVMs here are small, and two arenas do (bin/kube4j
        // sets the same for the product)
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        return new ChildJvm(name, flags, process);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
