package io.kube4j.cli;

import io.kube4j.host.cgroup.CgroupLayout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker on a host it cannot run on: what the user of {@code kube4j server} or {@code agent} is told. */
class NodeHostRefusalTest {

    /** Stock Debian 12 with systemd: cgroup2 at /sys/fs/cgroup, no v1 hierarchy. */
    private static final String CGROUP2_ONLY = """
            23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            """;

    @Command(name = "server")
    static final class StartsANode implements Callable<Integer> {
        @Override
        public Integer call() {
            WorkerNode.requireNodeHost(CgroupLayout.parse(CGROUP2_ONLY));
            return 0;
        }
    }

    @Test
    void aCgroup2OnlyHostIsRefusedInOneLineWithExitCode1() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "as root: else the root check refuses first");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StartsANode()).setExecutionExceptionHandler(new OneLineErrors());
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute();

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("server: this host mounts cgroup v2 only (cgroup2 at /sys/fs/cgroup)")
                .contains("systemd.unified_cgroup_hierarchy=0");
    }
}
