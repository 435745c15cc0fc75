package io.kube4j.apiserver.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real kubectl against a test server with its own discovery cache. */
final class Kubectl {

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        /** This result, once kubectl is seen to have exited 0; a failure shows what kubectl printed. */
        Result ok() {
            assertThat(exit).as(all()).isZero();
            return this;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;
    private final Path workDir;

    Kubectl(Path kubeconfig, Path workDir) {
        this(Path.of("/usr/bin/kubectl"), kubeconfig, workDir);
    }

    Kubectl(Path binary, Path kubeconfig, Path workDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
        this.cacheDir = workDir.resolve("kubectl-cache");
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    Result runWithInput(String stdin, String... args) {
        Process process = start(args);
        try {
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), read(workDir.resolve("out.txt")), read(workDir.resolve("err.txt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts kubectl with its output in pipes, for commands that do not end by themselves (get -w). */
    Process startStreaming(String... args) {
        try {
            return new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process start(String... args) {
        try {
            return new ProcessBuilder(command(args))
                    .redirectOutput(workDir.resolve("out.txt").toFile())
                    .redirectError(workDir.resolve("err.txt").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
