package io.kube4j.host.cgroup;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Cgroups#processesUnder}: what is left in a cgroup tree, found in the cgroups below the top too. */
class CgroupsProcessesTest {

    @Test
    void findsAProcessInACgroupBelowTheTop() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: writes cgroups");
        String top = "kube4j-test-" + UUID.randomUUID();
        String child = top + "/pod1";
        Path procs = Cgroups.ofThisHost().procsFiles(child).get(0);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(Cgroups.ofThisHost().processesUnder(top)).doesNotContain(sleeper.pid());
            Files.writeString(procs, Long.toString(sleeper.pid()));

            assertThat(Cgroups.ofThisHost().processesUnder(top)).contains(sleeper.pid());
            assertThat(Cgroups.ofThisHost().processesUnder(top + "/other")).isEmpty();
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Cgroups.ofThisHost().remove(top);
        }
        assertThat(Cgroups.ofThisHost().exists(top)).isFalse();
    }
}
