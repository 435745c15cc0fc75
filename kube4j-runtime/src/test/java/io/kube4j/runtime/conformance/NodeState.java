package io.kube4j.runtime.conformance;

import io.kube4j.host.cgroup.Cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a sandbox may leave on the node: used to check nothing leaks after removal. */
public final class NodeState {
    private NodeState() {
    }

    public static List<String> mountsMentioning(String text) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(text)).toList();
    }

    /** Whether the cgroup is in any hierarchy of the host, wherever the host mounts it. */
    public static boolean cgroupExists(String relativePath) {
        return Cgroups.ofThisHost().exists(relativePath);
    }

    /** Processes whose command line mentions the text (e.g. a container ID in conmon's arguments). */
    public static List<Long> processesMentioning(String text) {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(text);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .filter(pid -> pid != ProcessHandle.current().pid())
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes a cgroup the test created (as the kubelet would) from its top-level directory down, in every hierarchy
     * of the host; fails if any of it is left.
     */
    public static void removeCgroup(String path) {
        String top = path.substring(1).split("/")[0];
        Cgroups.ofThisHost().remove(top);
        if (cgroupExists(top)) {
            throw new IllegalStateException("cannot remove cgroup /" + top + " (see the warnings above)");
        }
    }
}
