package io.kube4j.host.cgroup;


import io.kube4j.host.MountInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a host mounts its cgroup hierarchies, read from its mountinfo, and whether a kube4j node can run on them. Every
 * cgroup path kube4j uses is taken from here ({@link Cgroups}), so a controller is found wherever it is mounted - one
 * directory per controller under /sys/fs/cgroup as cgroupfs does, co-mounted ones (cpu,cpuacct) as systemd's hybrid
 * layout does, or anywhere else. Nodes use cgroup v1 only; on a host with cgroup v2 alone (stock systemd: a
 * {@code cgroup2} file system at /sys/fs/cgroup) nothing fails at start but every v1 path is quietly missing - pods
 * run without their limits, with zero stats and no OOM reports - so a node refuses such a host before it starts
 * anything.
 */
public final class CgroupLayout {
    /**
     * What a node cannot run without: the controllers that take pods' limits and account for their use, and devices,
     * without which runc on cgroup v1 refuses to start a container (it is what confines device access).
     */
    static final List<String> REQUIRED = Stream.concat(Cgroups.ACCOUNTING.stream(), Stream.of("devices")).toList();

    /** Where the kernel's documentation, cgroupfs and systemd mount the hierarchies. */
    static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final String HOW_TO_FIX = "boot with systemd.unified_cgroup_hierarchy=0 for the hybrid layout (on "
            + "Debian: add it to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot; systemd 256 and "
            + "later also need SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1)";

    /** Each mounted v1 controller and where its hierarchy is mounted (the first mount of it, as runc takes). */
    private final Map<String, Path> v1Mounts;
    /** One mount point per mounted hierarchy, v1, named (systemd) and cgroup2 alike: runc creates a path in all. */
    private final List<Path> hierarchies;
    /** Whether /sys/fs/cgroup itself is a cgroup2 file system: the unified layout, with no v1 at all. */
    private final boolean unifiedOnly;

    private CgroupLayout(Map<String, Path> v1Mounts, List<Path> hierarchies, boolean unifiedOnly) {
        this.v1Mounts = v1Mounts;
        this.hierarchies = hierarchies;
        this.unifiedOnly = unifiedOnly;
    }

    /** The layout of this host, from this process's mountinfo. */
    public static CgroupLayout ofThisHost() {
        try {
            return of(MountInfo.ofThisProcess());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo to find the cgroup controllers: "
                    + e.getMessage(), e);
        }
    }

    /** The layout a mountinfo text describes. */
    public static CgroupLayout parse(String mountinfo) {
        return of(MountInfo.parse(mountinfo));
    }

    /**
     * The layout of a mount table. A v1 hierarchy names its controllers in its super options ({@code rw,cpu,cpuacct});
     * a hierarchy mounted twice (the same device) counts once, at its first mount point.
     */
    public static CgroupLayout of(MountInfo mounts) {
        Map<String, Path> controllers = new LinkedHashMap<>();
        List<Path> hierarchies = new ArrayList<>();
        Set<String> devices = new HashSet<>();
        boolean unifiedOnly = false;
        for (MountInfo.Mount mount : mounts.mounts()) {
            boolean v1 = mount.fsType().equals("cgroup");
            if (!v1 && !mount.fsType().equals("cgroup2")) {
                continue;
            }
            if (!v1 && mount.mountPoint().equals(ROOT)) {
                unifiedOnly = true;
            }
            if (devices.add(mount.device())) {
                hierarchies.add(mount.mountPoint());
            }
            if (v1) {
                mount.superOptions().forEach(option -> controllers.putIfAbsent(option, mount.mountPoint()));
            }
        }
        return new CgroupLayout(Map.copyOf(controllers), List.copyOf(hierarchies), unifiedOnly);
    }

    /** Where the v1 hierarchy of {@code controller} is mounted; empty if it is not. */
    public Optional<Path> mountOf(String controller) {
        return Optional.ofNullable(v1Mounts.get(controller));
    }

    /** Every mounted hierarchy's mount point, each once. */
    public List<Path> hierarchies() {
        return hierarchies;
    }

    /** The required v1 controllers this host does not mount, in {@link #REQUIRED}'s order. */
    public List<String> missing() {
        return REQUIRED.stream().filter(c -> !v1Mounts.containsKey(c)).toList();
    }

    /** Why a node cannot run here, in one line that says what to do; empty if it can. */
    public Optional<String> refusal() {
        List<String> missing = missing();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String needs = "a kube4j node needs the cgroup v1 controllers " + String.join(", ", REQUIRED);
        if (unifiedOnly) {
            return Optional.of("this host mounts cgroup v2 only (cgroup2 at " + ROOT + "): " + needs
                    + " - " + HOW_TO_FIX);
        }
        return Optional.of("the cgroup v1 controller" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " not mounted: " + needs + " - mount each (mount -t cgroup -o "
                + missing.get(0) + " cgroup " + ROOT + "/" + missing.get(0) + "), or " + HOW_TO_FIX);
    }

    /** Refuses, with {@link #refusal()}'s line, a host a node cannot run on. */
    public void require() {
        Optional<String> refusal = refusal();
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get());
        }
    }
}
