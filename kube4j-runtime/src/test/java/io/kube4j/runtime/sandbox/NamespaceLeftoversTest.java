package io.kube4j.runtime.sandbox;

import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.PodSandboxMetadata;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.runtime.network.CniNetwork;
import io.kube4j.runtime.unix.Mounts;
import io.kube4j.runtime.util.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A runtime killed with SIGKILL leaves its pods' namespace pins (nsfs bind mounts) behind; the next one to start
 * unpins those of sandboxes no runtime knows and keeps its own re-adopted sandboxes' and another live runtime's.
 * Real pins of real (empty) namespaces in a temporary pin directory: no host network is touched.
 */
class NamespaceLeftoversTest {
    @TempDir
    Path dir;
    private Path pins;
    private Path sandboxes;
    private final List<String> made = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("0".equals(run("id", "-u").strip()), "needs root (bind mounts of namespaces)");
        pins = dir.resolve("ns");
        sandboxes = dir.resolve("runtime/sandboxes");
        Files.createDirectories(sandboxes);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pins == null) {
            return;
        }
        PodNamespaces any = new PodNamespaces(pins, sandboxes);
        made.forEach(any::remove);
        if (Files.isDirectory(pins)) {
            Mounts.unmount(pins); // the private mount PodNamespaces made of the pin directory
        }
    }

    @Test
    void startUpUnpinsUnknownSandboxesAndKeepsKnownOnes() throws Exception {
        PodNamespaces ours = new PodNamespaces(pins, sandboxes);
        String known = pinned(ours, "known0001");
        writeSandboxRecord(known);
        String lost = pinned(ours, "lost00002"); // pinned, then killed before its record was written / record wiped

        Path otherRoot = dir.resolve("other/sandboxes");
        Files.createDirectories(otherRoot.resolve("theirs003"));
        String theirs = pinned(new PodNamespaces(pins, otherRoot), "theirs003");
        String orphan = pinned(new PodNamespaces(pins, dir.resolve("wiped/sandboxes")), "orphan004");
        String legacy = pinned(ours, "legacy005");
        Files.delete(pins.resolve(legacy + ".owner")); // pinned by a runtime from before owner files

        new SandboxManager(sandboxes, pins, new CniNetwork(dir.resolve("cni"), "k4jtest0", "10.99.0.0/24",
                dir.resolve("ipam"), false));

        assertPinned(known);
        assertPinned(theirs);
        for (String id : List.of(lost, orphan, legacy)) {
            for (String kind : List.of("-net", "-uts", "-ipc", ".owner")) {
                assertThat(pins.resolve(id + kind)).as(id + kind).doesNotExist();
            }
            assertThat(mountPoints()).noneMatch(m -> m.contains(id));
        }
    }

    @Test
    void aRuntimeRestartedOnItsOwnStateKeepsEverySandboxItHad() throws Exception {
        PodNamespaces ours = new PodNamespaces(pins, sandboxes);
        String first = pinned(ours, "first0001");
        String second = pinned(ours, "second002");
        writeSandboxRecord(first);
        writeSandboxRecord(second);

        SandboxManager restarted = new SandboxManager(sandboxes, pins, new CniNetwork(dir.resolve("cni"), "k4jtest0",
                "10.99.0.0/24", dir.resolve("ipam"), false));

        assertPinned(first);
        assertPinned(second);
        assertThat(restarted.get(first).ready()).as("its network namespace is still there").isTrue();
    }

    /**
     * shareProcessNamespace: the pinned PID namespace has the infra process as its PID 1, in the pod cgroup, and a sandbox
     * no runtime knows loses it with its pins at start-up - which ends the namespace and whatever still ran in it, before
     * start-up goes on, so the pod cgroup can go at once.
     */
    @Test
    void aSharedPidNamespaceHasAnInfraProcessAsPid1UntilItsSandboxIsGone() throws Exception {
        PodNamespaces ours = new PodNamespaces(pins, sandboxes);
        made.add("shared001");
        String podCgroup = "/kube4j-test/pod-" + dir.getFileName();
        try {
            infraUntilReclaimed(ours, podCgroup);
        } finally {
            Cgroups.ofThisHost().remove(podCgroup);
            Cgroups.ofThisHost().remove("/kube4j-test");
        }
        assertThat(Cgroups.ofThisHost().exists(podCgroup)).as("pod cgroup removable once the sandbox is reclaimed").isFalse();
    }

    private void infraUntilReclaimed(PodNamespaces ours, String podCgroup) throws Exception {
        ours.create("shared001", "", false, true, podCgroup);
        Path pin = pins.resolve("shared001-pid");
        assertThat(Files.getFileStore(pin).type()).isEqualTo("nsfs");

        long unshare = Long.parseLong(Files.readString(pins.resolve("shared001.infra")).strip());
        long infra = ProcessHandle.of(unshare).orElseThrow().children().findFirst().orElseThrow().pid();
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + infra + "/ns/pid")).toString())
                .isEqualTo("pid:[" + Files.getAttribute(pin, "unix:ino") + "]");
        assertThat(Files.readAllLines(Path.of("/proc/" + infra + "/status"))).as("PID 1 in its namespace")
                .anyMatch(line -> line.matches("NSpid:\\s+" + infra + "\\s+1"));
        for (String controller : List.of("memory", "cpu", "cpuacct", "pids")) {
            assertThat(cgroupOf(infra, controller)).as(controller + " cgroup of the infra process").isEqualTo(podCgroup);
        }

        new SandboxManager(sandboxes, pins, new CniNetwork(dir.resolve("cni"), "k4jtest0", "10.99.0.0/24",
                dir.resolve("ipam"), false));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> ProcessHandle.of(infra).isEmpty() && ProcessHandle.of(unshare).isEmpty());
        assertThat(pin).doesNotExist();
        assertThat(pins.resolve("shared001.infra")).doesNotExist();
    }

    /** The process's cgroup in the hierarchy of the controller, from /proc/PID/cgroup (ID:controllers:path lines). */
    private static String cgroupOf(long pid, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] fields = line.split(":", 3);
            if (List.of(fields[1].split(",")).contains(controller)) {
                return fields[2];
            }
        }
        return "";
    }

    private String pinned(PodNamespaces namespaces, String id) {
        made.add(id);
        namespaces.create(id, "", false, false, null);
        return id;
    }

    private void assertPinned(String id) throws IOException {
        for (String kind : List.of("-net", "-uts", "-ipc")) {
            Path pin = pins.resolve(id + kind);
            assertThat(pin).as(id + kind).exists();
            assertThat(Files.getFileStore(pin).type()).as(id + kind + " is a namespace bind mount").isEqualTo("nsfs");
        }
    }

    /** A sandbox as SandboxManager.run leaves it on disk: ready, on the pod network. */
    private void writeSandboxRecord(String id) throws IOException {
        Path sandboxDir = Files.createDirectories(sandboxes.resolve(id));
        // a PID namespace per container, as the kubelet asks unless shareProcessNamespace (CRI's default is the pod's)
        Files.write(sandboxDir.resolve("config.pb"), PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("p-" + id).setNamespace("default").setUid("uid-" + id))
                .setLinux(io.kube4j.cri.v1.LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                        io.kube4j.cri.v1.LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(
                                io.kube4j.cri.v1.NamespaceOption.newBuilder().setPid(io.kube4j.cri.v1.NamespaceMode.CONTAINER))))
                .build().toByteArray());
        Json.write(sandboxDir.resolve("sandbox.json"), new SandboxRecord(id, 1, true, "10.99.0.2", false, true,
                "/kube4j/" + id, false, List.of()));
    }

    private static List<String> mountPoints() throws IOException {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            points.add(line.split(" ")[4]);
        }
        return points;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
