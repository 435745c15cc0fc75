package io.kube4j.kubelet;

import io.kube4j.host.cgroup.CgroupLayout;
import io.kube4j.host.cgroup.Cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** cgroup hierarchies a test owns: a directory per controller, and the mountinfo lines that say they are mounted. */
public final class TestCgroups {
    private TestCgroups() {
    }

    /** {@code dir/<controller>} for each of {@code controllers}, each its own hierarchy; none: no cgroups at all. */
    public static Cgroups under(Path dir, String... controllers) {
        StringBuilder mountinfo = new StringBuilder();
        for (int i = 0; i < controllers.length; i++) {
            Path mount = dir.resolve(controllers[i]);
            try {
                Files.createDirectories(mount);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            mountinfo.append(100 + i).append(" 1 0:").append(100 + i).append(" / ").append(mount)
                    .append(" rw,relatime - cgroup cgroup rw,").append(controllers[i]).append('\n');
        }
        return new Cgroups(CgroupLayout.parse(mountinfo.toString()));
    }
}
