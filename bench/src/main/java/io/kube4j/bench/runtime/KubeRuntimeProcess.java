package io.kube4j.bench.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kube4j-runtime as its own JVM (so its RSS is its own), on a temporary root, with the heap capped
 * at the aim: it serves the whole bench inside 64 MB of heap or fails.
 */
final class KubeRuntimeProcess implements RuntimeUnderTest {
    static final String JVM_FLAGS = "-Xmx64m -XX:+UseSerialGC";
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final Path base;
    private final String bridge;

    private KubeRuntimeProcess(Process process, Path base, String bridge) {
        this.process = process;
        this.base = base;
        this.bridge = bridge;
    }

    static KubeRuntimeProcess start(Path base, Path images, String classpath, String podCidr, String bridge) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(JVM_FLAGS.split(" ")));
        command.addAll(List.of("-Djava.net.preferIPv4Stack=true", "-cp", classpath, "io.kube4j.runtime.RuntimeServer",
                "--root", base.resolve("root").toString(), "--socket", base.resolve("cri.sock").toString(),
                "--images", images.toString(), "--pod-cidr", podCidr, "--bridge", bridge, "--ip-masq", "false"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(base.resolve("runtime.log").toFile()).start();
        return new KubeRuntimeProcess(process, base, bridge);
    }

    @Override
    public String name() {
        return "kube4j";
    }

    @Override
    public Path socket() {
        return base.resolve("cri.sock");
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long heapUsedAfterGc() {
        String pid = Long.toString(process.pid());
        Commands.run("jcmd", pid, "GC.run");
        // Serial GC reports its generations on separate lines (G1 one heap line); Metaspace is not heap.
        long usedKb = 0;
        for (String line : Commands.run("jcmd", pid, "GC.heap_info").lines().toList()) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher used = USED.matcher(line);
            if (used.find()) {
                usedKb += Long.parseLong(used.group(1));
            }
        }
        return usedKb * 1024;
    }

    @Override
    public String setup() {
        return "kube4j-runtime in its own JVM (" + JVM_FLAGS + "), runc + conmon + CNI bridge";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Commands.quietly("ip", "link", "del", bridge);
        Commands.quietly("rm", "-rf", base.toString());
    }
}
