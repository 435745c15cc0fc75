package io.kube4j.cli;

import io.kube4j.host.cgroup.CgroupLayout;
import io.kube4j.host.cgroup.Cgroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kube4j killall} finds what is left in the node's pod cgroups where the host's layout mounts each hierarchy:
 * here memory at {@code DIR/elsewhere/mem} and a named hierarchy at {@code DIR/named}, nothing at
 * {@code DIR/memory}.
 */
class KillallCgroupsTest {

    @TempDir
    Path dir;

    @Test
    void killsAProcessLeftInAPodCgroupOfAHierarchyMountedSomewhereUnusual() throws Exception {
        Files.createDirectories(dir.resolve("elsewhere/mem/node-a/kubepods/besteffort/pod1"));
        Files.createDirectories(dir.resolve("named/node-a/kubepods/pod2/leaf"));
        Cgroups cgroups = new Cgroups(CgroupLayout.parse("""
                50 1 0:50 / %1$s/elsewhere/mem rw,relatime - cgroup cgroup rw,memory
                51 1 0:51 / %1$s/named rw,relatime - cgroup cgroup rw,xattr,name=systemd
                """.formatted(dir)));
        Process left = new ProcessBuilder("sleep", "600").start();
        try {
            Files.writeString(dir.resolve("elsewhere/mem/node-a/kubepods/besteffort/pod1/cgroup.procs"),
                    left.pid() + "\n");

            KillallCommand.removeCgroups(cgroups, "/node-a/kubepods");

            assertThat(left.waitFor(30, TimeUnit.SECONDS)).as("the process left in the pod cgroup is killed").isTrue();
            // the named hierarchy's tree held no control file a temp dir keeps, so it is gone
            assertThat(dir.resolve("named/node-a/kubepods")).doesNotExist();
        } finally {
            left.destroyForcibly();
        }
    }
}
