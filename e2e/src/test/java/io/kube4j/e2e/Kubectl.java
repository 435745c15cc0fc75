package io.kube4j.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real, unmodified kubectl against a kube4j server. Each instance has its own discovery cache so tests
 * never see each other's (or the machine's) cached discovery.
 */
public final class Kubectl {
    /** The dispatcher picks the kubectl minor version from the server's /version. */
    public static final String DISPATCHER = "/usr/bin/kubectl";

    private final String binary;
    private final Path kubeconfig;
    private final Path cacheDir;

    public Kubectl(String binary, Path kubeconfig, Path cacheDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** A specific kubectl minor version, e.g. 27 for 1.27, as installed beside the dispatcher. */
    public static String version(int minor) {
        return "/usr/lib/google-cloud-sdk/bin/kubectl.1." + minor;
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + stderr + stdout);
            }
            return this;
        }
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    public Result runWithInput(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString()));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("HOME", cacheDir.toString());
                Process p = pb.start();
                if (stdin != null) {
                    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
