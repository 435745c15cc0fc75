package io.kube4j.runtime.cgroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * cgroup v1 with the cgroupfs layout (no systemd on these nodes): one directory per controller
 * under /sys/fs/cgroup, the same relative path in each.
 */
public final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    static final Path ROOT = Path.of("/sys/fs/cgroup");
    /** Controllers a pod or container cgroup lives in; runc creates the same set. */
    private static final List<String> CONTROLLERS =
            List.of("memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer", "net_cls", "perf_event", "hugetlb");

    private Cgroups() {
    }

    public static Path dir(String controller, String cgroupPath) {
        return ROOT.resolve(controller).resolve(strip(cgroupPath));
    }

    private static String strip(String cgroupPath) {
        String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        if (relative.contains("..")) {
            throw new IllegalArgumentException("invalid cgroup path \"" + cgroupPath + "\"");
        }
        return relative;
    }

    /** The controllers that take a pod's limits and account for its use; runc creates the others itself. */
    static final List<String> ACCOUNTING = List.of("memory", "cpu", "cpuacct", "pids");

    /** Creates the cgroup in the controllers that take limits (the others runc creates itself). */
    public static void create(String cgroupPath) {
        for (String controller : ACCOUNTING) {
            Path dir = dir(controller, cgroupPath);
            if (Files.isDirectory(ROOT.resolve(controller))) {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    LOG.warn("cannot create cgroup {}: {}", dir, e.getMessage());
                }
            }
        }
    }

    /**
     * The files through which a process joins the cgroup in each mounted controller that takes limits (a process that
     * writes 0 to one moves itself), creating the cgroup there first. Not every hierarchy: a new cpuset cgroup has no
     * CPUs until runc copies its parent's, and no process can join it before.
     */
    public static List<Path> procsFiles(String cgroupPath) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (String controller : ACCOUNTING) {
            if (Files.isDirectory(ROOT.resolve(controller))) {
                files.add(Files.createDirectories(dir(controller, cgroupPath)).resolve("cgroup.procs"));
            }
        }
        return files;
    }

    /** Removes the cgroup (and any empty children) from every controller; processes must be gone. */
    public static void remove(String cgroupPath) {
        for (String controller : hierarchies()) {
            Path dir = dir(controller, cgroupPath);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.walk(dir)) {
                // Deepest first; cgroupfs directories are removed with rmdir even though they list files.
                children.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(d -> {
                    try {
                        Files.delete(d);
                    } catch (IOException e) {
                        LOG.warn("cannot remove cgroup {}: {}", d, e.getMessage());
                    }
                });
            } catch (IOException e) {
                LOG.warn("cannot remove cgroup {}: {}", dir, e.getMessage());
            }
        }
    }

    /**
     * The processes in the cgroup or any cgroup below it, in every mounted hierarchy, each once: what is left to kill
     * before {@link #remove} can take the tree away.
     */
    public static Set<Long> processesUnder(String cgroupPath) {
        Set<Long> pids = new TreeSet<>();
        for (String controller : hierarchies()) {
            Path top = dir(controller, cgroupPath);
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(top)) {
                for (Path procs : files.filter(f -> f.getFileName().toString().equals("cgroup.procs")).toList()) {
                    for (String pid : Files.readAllLines(procs)) {
                        if (!pid.isBlank()) {
                            pids.add(Long.parseLong(pid.strip()));
                        }
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot read the processes under cgroup {}: {}", top, e.getMessage());
            }
        }
        return pids;
    }

    public static boolean exists(String cgroupPath) {
        return hierarchies().stream().anyMatch(c -> Files.isDirectory(dir(c, cgroupPath)));
    }

    /** Every mounted hierarchy, named ones (systemd, unified) included: runc creates the path in all. */
    private static List<String> hierarchies() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(d -> d.getFileName().toString()).toList();
        } catch (IOException e) {
            return CONTROLLERS;
        }
    }

    public static void write(String controller, String cgroupPath, String file, String value) {
        Path target = dir(controller, cgroupPath).resolve(file);
        try {
            Files.writeString(target, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value + " to " + target + ": " + e.getMessage(), e);
        }
    }

    public static OptionalLong readLong(String controller, String cgroupPath, String file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(dir(controller, cgroupPath).resolve(file)).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A flat key-value file such as memory.stat or memory.oom_control. */
    public static Map<String, Long> readMap(String controller, String cgroupPath, String file) {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir(controller, cgroupPath).resolve(file))) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    try {
                        values.put(parts[0], Long.parseLong(parts[1]));
                    } catch (NumberFormatException ignored) {
                        // not a counter
                    }
                }
            }
        } catch (IOException e) {
            return values;
        }
        return values;
    }

    /** How many times the kernel OOM killer killed a process in this cgroup. */
    public static long oomKills(String cgroupPath) {
        return readMap("memory", cgroupPath, "memory.oom_control").getOrDefault("oom_kill", 0L);
    }
}
