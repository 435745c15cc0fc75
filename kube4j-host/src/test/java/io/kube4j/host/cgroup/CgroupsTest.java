package io.kube4j.host.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Cgroups} finds each hierarchy where the layout says it is mounted, not at /sys/fs/cgroup/CONTROLLER: memory at
 * {@code DIR/mem}, cpu and cpuacct co-mounted at {@code DIR/cg/cpu,cpuacct}, pids not mounted, a named hierarchy.
 */
class CgroupsTest {

    @TempDir
    Path dir;

    private Cgroups cgroups() throws Exception {
        for (String mount : new String[] {"mem", "cg/cpu,cpuacct", "named"}) {
            Files.createDirectories(dir.resolve(mount));
        }
        return new Cgroups(CgroupLayout.parse("""
                31 23 0:28 / %1$s rw,relatime - tmpfs tmpfs rw
                32 31 0:29 / %1$s/mem rw,relatime shared:3 - cgroup cgroup rw,memory
                33 31 0:30 / %1$s/cg/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
                34 31 0:31 / %1$s/named rw,relatime - cgroup cgroup rw,xattr,name=systemd
                """.formatted(dir)));
    }

    @Test
    void aControllersDirectoryIsUnderItsMount() throws Exception {
        Cgroups cgroups = cgroups();

        assertThat(cgroups.dir("memory", "/kubepods/pod1")).contains(dir.resolve("mem/kubepods/pod1"));
        assertThat(cgroups.dir("cpuacct", "kubepods")).contains(dir.resolve("cg/cpu,cpuacct/kubepods"));
        assertThat(cgroups.dir("pids", "kubepods")).isEmpty();
        assertThatThrownBy(() -> cgroups.dir("memory", "/kubepods/../etc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsReadsAndWritesInTheMountedHierarchies() throws Exception {
        Cgroups cgroups = cgroups();

        cgroups.create("/kubepods/pod1");
        cgroups.write("memory", "/kubepods/pod1", "memory.limit_in_bytes", "1048576");
        Files.writeString(dir.resolve("cg/cpu,cpuacct/kubepods/pod1/cpuacct.usage"), "12345\n");
        Files.writeString(dir.resolve("mem/kubepods/pod1/memory.oom_control"), "oom_kill_disable 0\noom_kill 2\n");

        assertThat(Files.readString(dir.resolve("mem/kubepods/pod1/memory.limit_in_bytes"))).isEqualTo("1048576");
        assertThat(cgroups.readLong("cpuacct", "/kubepods/pod1", "cpuacct.usage")).hasValue(12345);
        assertThat(cgroups.readLong("pids", "/kubepods/pod1", "pids.current")).isEmpty();
        assertThat(cgroups.oomKills("/kubepods/pod1")).isEqualTo(2);
        assertThat(cgroups.procsFiles("/kubepods/pod1")).containsExactly(
                dir.resolve("mem/kubepods/pod1/cgroup.procs"), dir.resolve("cg/cpu,cpuacct/kubepods/pod1/cgroup.procs"));
        assertThatThrownBy(() -> cgroups.write("pids", "/kubepods/pod1", "pids.max", "10"))
                .hasMessageContaining("the pids controller is not mounted");
    }

    @Test
    void processesAndRemovalCoverEveryHierarchyNamedOnesToo() throws Exception {
        Cgroups cgroups = cgroups();
        Files.createDirectories(dir.resolve("named/kubepods/burstable/pod2"));
        Files.writeString(dir.resolve("named/kubepods/burstable/pod2/cgroup.procs"), "4242\n");
        Files.createDirectories(dir.resolve("cg/cpu,cpuacct/kubepods/pod3"));
        Files.writeString(dir.resolve("cg/cpu,cpuacct/kubepods/pod3/cgroup.procs"), "17\n4242\n");

        assertThat(cgroups.exists("/kubepods")).isTrue();
        assertThat(cgroups.processesUnder("/kubepods")).containsExactly(17L, 4242L);
        assertThat(cgroups.processesUnder("/kubepods/pod3")).containsExactly(17L, 4242L);

        // a temp dir is no cgroupfs: its control files must go before its directories can
        Files.delete(dir.resolve("named/kubepods/burstable/pod2/cgroup.procs"));
        Files.delete(dir.resolve("cg/cpu,cpuacct/kubepods/pod3/cgroup.procs"));
        cgroups.remove("/kubepods");

        assertThat(cgroups.exists("/kubepods")).isFalse();
        assertThat(dir.resolve("named")).isEmptyDirectory();
    }
}
