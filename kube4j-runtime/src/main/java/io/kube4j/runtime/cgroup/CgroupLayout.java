package io.kube4j.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which cgroup hierarchies a host mounts, read from its mountinfo, and whether a kube4j node can run on them. Nodes use
 * cgroup v1 only ({@link Cgroups}); on a host with cgroup v2 alone (stock systemd: a {@code cgroup2} file system at
 * /sys/fs/cgroup) nothing fails at start but every v1 path is quietly missing - pods run without their limits, with
 * zero stats and no OOM reports - so a node refuses such a host before it starts anything.
 */
public final class CgroupLayout {
    /**
     * What a node cannot run without: the controllers that take pods' limits and account for their use, and devices,
     * without which runc on cgroup v1 refuses to start a container (it is what confines device access).
     */
    static final List<String> REQUIRED = Stream.concat(Cgroups.ACCOUNTING.stream(), Stream.of("devices")).toList();

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final String HOW_TO_FIX = "boot with systemd.unified_cgroup_hierarchy=0 for the hybrid layout (on "
            + "Debian: add it to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot; systemd 256 and "
            + "later also need SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1)";

    /** The v1 controllers mounted under /sys/fs/cgroup, as the mounts' options name them. */
    private final Set<String> v1Controllers;
    /** Whether /sys/fs/cgroup itself is a cgroup2 file system: the unified layout, with no v1 at all. */
    private final boolean unifiedOnly;

    private CgroupLayout(Set<String> v1Controllers, boolean unifiedOnly) {
        this.v1Controllers = v1Controllers;
        this.unifiedOnly = unifiedOnly;
    }

    /** The layout of this host, from /proc/self/mountinfo. */
    public static CgroupLayout ofThisHost() {
        try {
            return parse(Files.readString(MOUNTINFO));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + MOUNTINFO + " to find the cgroup controllers: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The layout a mountinfo text describes. A line is {@code ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...]
     * - FSTYPE SOURCE SUPER-OPTIONS}; the optional fields vary in number, so the file system comes after the lone
     * {@code -}. A v1 hierarchy names its controllers in its super options ({@code rw,cpu,cpuacct}).
     */
    public static CgroupLayout parse(String mountinfo) {
        String root = Cgroups.ROOT.toString();
        Set<String> controllers = new TreeSet<>();
        boolean unifiedOnly = false;
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.strip().split(" ");
            int separator = List.of(fields).indexOf("-");
            if (separator < 5 || separator + 3 >= fields.length) {
                continue;
            }
            String mountPoint = fields[4];
            String fsType = fields[separator + 1];
            if (fsType.equals("cgroup2") && mountPoint.equals(root)) {
                unifiedOnly = true;
            } else if (fsType.equals("cgroup") && mountPoint.startsWith(root + "/")) {
                controllers.addAll(List.of(fields[separator + 3].split(",")));
            }
        }
        return new CgroupLayout(controllers, unifiedOnly);
    }

    /** The required v1 controllers this host does not mount, in {@link #REQUIRED}'s order. */
    public List<String> missing() {
        return REQUIRED.stream().filter(c -> !v1Controllers.contains(c)).toList();
    }

    /** Why a node cannot run here, in one line that says what to do; empty if it can. */
    public Optional<String> refusal() {
        List<String> missing = missing();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String needs = "a kube4j node needs the cgroup v1 controllers " + String.join(", ", REQUIRED);
        if (unifiedOnly) {
            return Optional.of("this host mounts cgroup v2 only (cgroup2 at " + Cgroups.ROOT + "): " + needs
                    + " - " + HOW_TO_FIX);
        }
        return Optional.of("the cgroup v1 controller" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " not mounted under " + Cgroups.ROOT + ": " + needs + " - mount each (mount -t cgroup -o " + missing.get(0) + " cgroup " + Cgroups.ROOT + "/"
                + missing.get(0) + "), or " + HOW_TO_FIX);
    }

    /** Refuses, with {@link #refusal()}'s line, a host a node cannot run on. */
    public void require() {
        Optional<String> refusal = refusal();
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get());
        }
    }
}
