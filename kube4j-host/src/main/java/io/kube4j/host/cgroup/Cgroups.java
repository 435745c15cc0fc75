package io.kube4j.host.cgroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * cgroup v1 with the cgroupfs driver (no systemd on these nodes): a cgroup is one relative path, the same in every
 * hierarchy, each hierarchy wherever {@link CgroupLayout} found it mounted. The runtime, the kubelet and
 * {@code kube4j killall} all reach cgroups through here.
 */
public final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    /** The controllers that take a pod's limits and account for its use; runc creates the others itself. */
    static final List<String> ACCOUNTING = List.of("memory", "cpu", "cpuacct", "pids");

    private static Cgroups host;

    private final CgroupLayout layout;

    public Cgroups(CgroupLayout layout) {
        this.layout = layout;
    }

    /** This host's cgroups; its mountinfo is read once, as hierarchies are mounted before a node starts. */
    public static synchronized Cgroups ofThisHost() {
        if (host == null) {
            host = new Cgroups(CgroupLayout.ofThisHost());
        }
        return host;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** The cgroup's directory in {@code controller}'s hierarchy; empty if that controller is not mounted. */
    public Optional<Path> dir(String controller, String cgroupPath) {
        String relative = relative(cgroupPath);
        return layout.mountOf(controller).map(mount -> mount.resolve(relative));
    }

    private static String relative(String cgroupPath) {
        String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        if (relative.contains("..")) {
            throw new IllegalArgumentException("invalid cgroup path \"" + cgroupPath + "\"");
        }
        return relative;
    }

    /** Creates the cgroup in the mounted controllers that take limits (the others runc creates itself). */
    public void create(String cgroupPath) {
        for (String controller : ACCOUNTING) {
            dir(controller, cgroupPath).ifPresent(dir -> {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    LOG.warn("cannot create cgroup {}: {}", dir, e.getMessage());
                }
            });
        }
    }

    /**
     * The files through which a process joins the cgroup in each mounted controller that takes limits (a process that
     * writes 0 to one moves itself), creating the cgroup there first. Not every hierarchy: a new cpuset cgroup has no
     * CPUs until runc copies its parent's, and no process can join it before.
     */
    public List<Path> procsFiles(String cgroupPath) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String controller : ACCOUNTING) {
            Optional<Path> dir = dir(controller, cgroupPath);
            // co-mounted controllers (cpu,cpuacct) share one directory: joined once
            if (dir.isPresent() && !files.contains(dir.get().resolve("cgroup.procs"))) {
                files.add(Files.createDirectories(dir.get()).resolve("cgroup.procs"));
            }
        }
        return files;
    }

    /** Removes the cgroup (and any empty children) from every hierarchy; processes must be gone. */
    public void remove(String cgroupPath) {
        for (Path dir : inEveryHierarchy(cgroupPath)) {
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
    public Set<Long> processesUnder(String cgroupPath) {
        Set<Long> pids = new TreeSet<>();
        for (Path top : inEveryHierarchy(cgroupPath)) {
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

    public boolean exists(String cgroupPath) {
        return inEveryHierarchy(cgroupPath).stream().anyMatch(Files::isDirectory);
    }

    /** The cgroup's directory in every mounted hierarchy, named ones (systemd, unified) included: runc creates all. */
    private List<Path> inEveryHierarchy(String cgroupPath) {
        String relative = relative(cgroupPath);
        return layout.hierarchies().stream().map(mount -> mount.resolve(relative)).toList();
    }

    public void write(String controller, String cgroupPath, String file, String value) {
        Path dir = dir(controller, cgroupPath).orElseThrow(() -> new IllegalStateException("cannot write " + value
                + " to " + file + " of cgroup " + cgroupPath + ": the " + controller + " controller is not mounted"));
        Path target = dir.resolve(file);
        try {
            Files.writeString(target, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** A file holding one number, such as cpuacct.usage; empty if it is missing or holds something else. */
    public OptionalLong readLong(String controller, String cgroupPath, String file) {
        Optional<Path> dir = dir(controller, cgroupPath);
        if (dir.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(dir.get().resolve(file)).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A flat key-value file such as memory.stat or memory.oom_control; empty if it is missing. */
    public Map<String, Long> readMap(String controller, String cgroupPath, String file) {
        Map<String, Long> values = new HashMap<>();
        Optional<Path> dir = dir(controller, cgroupPath);
        if (dir.isEmpty()) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(dir.get().resolve(file))) {
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
    public long oomKills(String cgroupPath) {
        return readMap("memory", cgroupPath, "memory.oom_control").getOrDefault("oom_kill", 0L);
    }
}
