package io.kube4j.e2e;

import io.kube4j.host.cgroup.Cgroups;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kube4j killall}, as a user meets it after {@code bin/kube4j up}: the server stopped, its pods still run (a
 * stopped kubelet leaves its workloads, as upstream's does); killall ends them and removes what the node made, so the
 * data directory can be deleted. It refuses while the node runs.
 */
class KillallE2ETest {

    @Test
    void stopsThePodsAStoppedServerLeftAndFreesItsDataDirectory(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: runs containers");
        Path data = tmp.resolve("data");
        BusyboxImages.copyInto(data.resolve("images"));
        Kube4jServer server = Kube4jServer.withAgent(data);
        try {
            Phases.run("server ready", server::start);
            Kubectl kubectl = server.kubectl(tmp.resolve("kubectl-cache"));
            kubectl.run("create", "deployment", "web", "--image=busybox", "--", "httpd", "-f", "-p", "8080").assertOk();
            kubectl.run("patch", "deployment", "web", "-p",
                    "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"busybox\",\"imagePullPolicy\":\"IfNotPresent\"}]}}}}")
                    .assertOk();
            kubectl.run("wait", "--for=condition=available", "deployment/web", "--timeout=120s").assertOk();

            Result refused = killall(data);
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("kube4j killall: a kube4j node is running on " + data
                    + " (its runtime answers on " + data.resolve("run/runtime.sock") + "): stop it first");

            server.stop();
            assertThat(podProcesses()).as("the pod outlives the server, as upstream's outlive the kubelet").isNotEmpty();
            assertThat(mountsUnder(data)).isNotEmpty();

            Result result = killall(data);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).containsPattern("stopping pod default/web-[a-z0-9]+-[a-z0-9]+ \\(sandbox")
                    .contains("kube4j killall: done; " + data + " can be deleted");
            assertThat(podProcesses()).isEmpty();
            assertThat(mountsUnder(data)).isEmpty();
            assertThat(Path.of("/sys/class/net/kube4j0")).doesNotExist();
            assertThat(Cgroups.ofThisHost().exists("kubepods")).as("the pod cgroups in any hierarchy").isFalse();
            assertThat(pinsOwnedBy(data)).isEmpty();
            deleteTree(data); // no mount or busy file left to stop it
            assertThat(data).doesNotExist();
        } finally {
            server.stop();
            if (Files.exists(data)) {
                server.cleanUpWorkerLeftovers(); // the test failed: leave the host clean anyway
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result killall(Path data) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Kube4jServer.jar().toString(), "killall", "--data-dir", data.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("killall ended").isTrue();
        return new Result(p.exitValue(), out);
    }

    /** Every process in a pod cgroup of the node (default --cgroup-root), read in the pids hierarchy. */
    private static List<String> podProcesses() throws IOException {
        Path kubepods = Cgroups.ofThisHost().dir("pids", "kubepods").orElseThrow();
        List<String> pids = new ArrayList<>();
        if (!Files.isDirectory(kubepods)) {
            return pids;
        }
        try (Stream<Path> files = Files.walk(kubepods)) {
            for (Path procs : files.filter(f -> f.getFileName().toString().equals("cgroup.procs")).toList()) {
                Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).forEach(pids::add);
            }
        }
        return pids;
    }

    private static List<String> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                .filter(m -> m.startsWith(dir + "/")).toList();
    }

    /** The namespace pins of the node's sandboxes: each has an owner file naming the node's sandboxes directory. */
    private static List<Path> pinsOwnedBy(Path data) throws IOException {
        Path pins = Path.of("/run/kube4j/ns");
        if (!Files.isDirectory(pins)) {
            return List.of();
        }
        List<Path> owned = new ArrayList<>();
        try (Stream<Path> files = Files.list(pins)) {
            for (Path owner : files.filter(f -> f.getFileName().toString().endsWith(".owner")).toList()) {
                if (Files.readString(owner).startsWith(data.toString())) {
                    owned.add(owner);
                }
            }
        }
        return owned;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
