package io.kube4j.bench.podstartup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * A kube4j command started the way the product starts it: through {@code bin/kube4j}, which reads the role's JVM
 * options (bin/jvm/agent.options for {@code agent}), sets MALLOC_ARENA_MAX and execs java on the shaded jar - so the
 * process's pid is the JVM's and what is measured is what is deployed. Output goes to a log file.
 */
final class Kube4jProcess implements AutoCloseable {
    final String name;
    private final Process process;

    private Kube4jProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * @param env extra environment, e.g. KUBE4J_JAVA_OPTS to replace the role's options in a diagnostic run
     */
    static Kube4jProcess start(Path repo, String name, Map<String, String> env, Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("bin/kube4j").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new Kube4jProcess(name, builder.start());
    }

    /** Runs a kube4j command to its end (e.g. {@code token create}) and returns its standard output. */
    static String run(Path repo, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("bin/kube4j").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("kube4j " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /**
     * A copy of the shaded jar for this run's processes (bin/kube4j runs it when KUBE4J_JAR names it): a build in the
     * same tree rewrites kube4j-cli/target/kube4j.jar, and a JVM whose jar changes under it fails to load classes.
     * A copy taken while the jar was being written is not a valid zip: it is taken again.
     */
    static Path copyJar(Path repo, Path dir) throws IOException, InterruptedException {
        Path jar = repo.resolve("kube4j-cli/target/kube4j.jar");
        Path copy = dir.resolve("kube4j.jar");
        for (int attempt = 0; ; attempt++) {
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            IOException invalid;
            try (JarFile zip = new JarFile(copy.toFile())) {
                if (zip.getManifest() != null && zip.getManifest().getMainAttributes().getValue("Main-Class") != null) {
                    return copy;
                }
                invalid = new IOException("no Main-Class in its manifest");
            } catch (IOException e) {
                invalid = e;
            }
            if (attempt >= 30) {
                throw new IOException(jar + " is not a valid jar (a build still writing it?)", invalid);
            }
            TimeUnit.SECONDS.sleep(2);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, as a service manager stops it: the agent stops its components (the proxy removes its table). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
