package io.kube4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --cgroup-root: several nodes on one host keep their pods' cgroups apart, as with upstream's kubelet flag. */
class WorkerOptionsTest {
    @CommandLine.Command(name = "worker")
    static final class Flags {
        @CommandLine.Mixin
        WorkerOptions worker = new WorkerOptions();
    }

    private static WorkerOptions parse(String... args) {
        Flags flags = new Flags();
        new CommandLine(flags).parseArgs(args);
        return flags.worker;
    }

    @Test
    void podsGoUnderKubepodsByDefault() {
        assertThat(parse().kubepodsCgroup()).isEqualTo("kubepods");
        assertThat(parse("--cgroup-root", "/").kubepodsCgroup()).isEqualTo("kubepods");
    }

    @Test
    void aCgroupRootPutsThisNodesPodsUnderIt() {
        assertThat(parse("--cgroup-root", "/node-a").kubepodsCgroup()).isEqualTo("node-a/kubepods");
        assertThat(parse("--cgroup-root", "kube4j/node-b/").kubepodsCgroup()).isEqualTo("kube4j/node-b/kubepods");
    }

    @Test
    void aPathLeavingTheHierarchyIsRefused() {
        assertThatThrownBy(() -> parse("--cgroup-root", "/../escape").kubepodsCgroup())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--cgroup-root");
    }
}
