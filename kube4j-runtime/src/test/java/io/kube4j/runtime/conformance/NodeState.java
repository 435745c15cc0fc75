package io.kube4j.runtime.conformance;

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

    public static boolean cgroupExists(String relativePath) {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            return hierarchies.anyMatch(h -> Files.exists(h.resolve(relativePath)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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

    /** Removes a cgroup the test created (as the kubelet would), deepest directories first. */
    public static void removeCgroup(String path) {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                Path top = hierarchy.resolve(path.substring(1).split("/")[0]);
                if (Files.isDirectory(top)) {
                    try (var dirs = Files.walk(top)) {
                        for (Path d : dirs.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                            Files.deleteIfExists(d);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove cgroup " + path + ": " + e.getMessage(), e);
        }
    }
}
