package io.kube4j.host;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MountInfo}: the fields of each line, whatever the optional fields, with the kernel's escapes undone. */
class MountInfoTest {

    private static final String TABLE = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:14 master:2 - cgroup cgroup rw,cpu,cpuacct
            90 22 0:50 /volumes /var/lib/kube4j/pods/u1/volumes/kubernetes.io~empty-dir/my\\040cache rw - tmpfs tmpfs rw
            garbage
            1 2
            """;

    @Test
    void readsEachFieldAfterTheSeparatorWhateverTheOptionalFields() {
        List<MountInfo.Mount> mounts = MountInfo.parse(TABLE).mounts();

        assertThat(mounts).hasSize(4);
        MountInfo.Mount cpu = mounts.get(2);
        assertThat(cpu.device()).isEqualTo("0:27");
        assertThat(cpu.root()).isEqualTo("/");
        assertThat(cpu.mountPoint()).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(cpu.fsType()).isEqualTo("cgroup");
        assertThat(cpu.superOptions()).containsExactly("rw", "cpu", "cpuacct");
    }

    @Test
    void aMountPointWithASpaceIsUnescaped() {
        MountInfo table = MountInfo.parse(TABLE);

        assertThat(table.mounts().get(3).root()).isEqualTo("/volumes");
        assertThat(table.isMountPoint(Path.of("/var/lib/kube4j/pods/u1/volumes/kubernetes.io~empty-dir/my cache")))
                .isTrue();
    }

    @Test
    void onlyTheMountPointItselfIsAMountPoint() {
        MountInfo table = MountInfo.parse(TABLE);

        assertThat(table.isMountPoint(Path.of("/sys/fs/cgroup"))).isTrue();
        assertThat(table.isMountPoint(Path.of("/sys/fs/cgroup/cpu,cpuacct/../cpu,cpuacct"))).isTrue();
        assertThat(table.isMountPoint(Path.of("/sys/fs"))).isFalse();
        assertThat(table.isMountPoint(Path.of("/sys/fs/cgroup/memory"))).isFalse();
    }

    @Test
    void thisProcessHasARoot() throws Exception {
        assertThat(MountInfo.ofThisProcess().isMountPoint(Path.of("/"))).isTrue();
    }
}
