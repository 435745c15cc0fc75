package io.kube4j.host.cgroup;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CgroupLayout}: which hosts a node refuses, from their mountinfo, and what it tells the user. */
class CgroupLayoutTest {

    /** This build machine: one v1 hierarchy per controller, and an empty cgroup2 at /sys/fs/cgroup/unified. */
    private static final String THIS_MACHINE = """
            23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    /** Stock Debian 12 with systemd: the unified layout, cgroup2 at /sys/fs/cgroup and no v1 hierarchy. */
    private static final String CGROUP2_ONLY = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            24 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            30 23 0:27 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:10 - pstore pstore rw
            """;

    /**
     * Debian 12 booted with systemd.unified_cgroup_hierarchy=0: systemd's hybrid layout, cpu and cpuacct co-mounted
     * (reached through the cpu and cpuacct links beside the mount), optional fields before the separator.
     */
    private static final String HYBRID = """
            25 23 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755,inode64
            26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
            27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
            30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct
            31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
            32 25 0:29 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,pids
            33 25 0:30 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,devices
            34 25 0:31 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,net_cls,net_prio
            """;

    @Test
    void thisMachinesLayoutHasEveryControllerANodeNeeds() {
        CgroupLayout layout = CgroupLayout.parse(THIS_MACHINE);

        assertThat(layout.missing()).isEmpty();
        assertThat(layout.refusal()).isEmpty();
    }

    @Test
    void hybridLayoutWithCoMountedControllersIsEnough() {
        assertThat(CgroupLayout.parse(HYBRID).refusal()).isEmpty();
    }

    @Test
    void cgroup2OnlyHostIsRefusedInOneLineThatSaysHowToBootIt() {
        CgroupLayout layout = CgroupLayout.parse(CGROUP2_ONLY);

        assertThat(layout.missing()).containsExactly("memory", "cpu", "cpuacct", "pids", "devices");
        assertThat(layout.refusal()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("this host mounts cgroup v2 only (cgroup2 at /sys/fs/cgroup)")
                .contains("cgroup v1 controllers memory, cpu, cpuacct, pids, devices")
                .contains("systemd.unified_cgroup_hierarchy=0")
                .doesNotContain("\n"));
    }

    @Test
    void missingControllersAreNamed() {
        String withoutPids = HYBRID.lines().filter(l -> !l.contains("/pids ")).reduce("", (a, l) -> a + l + "\n");

        assertThat(CgroupLayout.parse(withoutPids).refusal()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("the cgroup v1 controller pids is not mounted:")
                .contains("mount -t cgroup -o pids cgroup /sys/fs/cgroup/pids"));
    }

    @Test
    void aV1HierarchyOutsideSysFsCgroupCountsWhereItIsMounted() {
        // Cgroups follows the layout, so a controller counts wherever it is mounted
        String elsewhere = CGROUP2_ONLY + "40 22 0:40 / /cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";

        CgroupLayout layout = CgroupLayout.parse(elsewhere);
        assertThat(layout.missing()).doesNotContain("memory").contains("cpu");
        assertThat(layout.mountOf("memory")).contains(Path.of("/cgroup/memory"));
    }

    @Test
    void coMountedControllersShareOneHierarchyCountedOnce() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID + "41 25 0:27 / /mnt/again rw - cgroup cgroup rw,cpu,cpuacct\n");

        assertThat(layout.mountOf("cpu")).contains(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(layout.mountOf("cpuacct")).contains(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(layout.mountOf("cpuset")).isEmpty();
        assertThat(layout.hierarchies()).containsExactly(Path.of("/sys/fs/cgroup/unified"),
                Path.of("/sys/fs/cgroup/systemd"), Path.of("/sys/fs/cgroup/cpu,cpuacct"), Path.of("/sys/fs/cgroup/memory"),
                Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup/devices"), Path.of("/sys/fs/cgroup/net_cls,net_prio"));
    }

    @Test
    void noCgroupsAtAllIsRefused() {
        assertThat(CgroupLayout.parse("").missing()).containsExactlyElementsOf(CgroupLayout.REQUIRED);
        assertThat(CgroupLayout.parse("garbage\n1 2\n").refusal()).isPresent();
    }

    @Test
    void requireRefusesWithTheSameLine() {
        CgroupLayout layout = CgroupLayout.parse(CGROUP2_ONLY);

        assertThatThrownBy(layout::require).isInstanceOf(IllegalStateException.class)
                .hasMessage(layout.refusal().orElseThrow());
        CgroupLayout.parse(THIS_MACHINE).require();
    }

    @Test
    void thisHostIsReadFromItsMountinfo() {
        Assumptions.assumeTrue(controllerDirsExist(), "a host with kube4j's cgroup v1 controllers");

        assertThat(CgroupLayout.ofThisHost().refusal()).isEmpty();
    }

    private static boolean controllerDirsExist() {
        return CgroupLayout.REQUIRED.stream().allMatch(c -> Files.isDirectory(CgroupLayout.ROOT.resolve(c)));
    }
}
