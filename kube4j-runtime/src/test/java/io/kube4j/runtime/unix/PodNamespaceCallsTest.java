package io.kube4j.runtime.unix;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The namespaces are created in-process: check them from outside, through nsenter, as a container would see them. */
class PodNamespaceCallsTest {
    @TempDir
    Path dir;
    private Path ipc;
    private Path net;
    private Path uts;

    @BeforeEach
    void privateMount() throws Exception {
        assumeTrue("0".equals(run("id", "-u").trim()), "needs root");
        // As PodNamespaces does: namespace bind mounts must not propagate to other mount namespaces.
        run("mount", "--bind", dir.toString(), dir.toString());
        run("mount", "--make-private", dir.toString());
        ipc = Files.createFile(dir.resolve("ipc"));
        net = Files.createFile(dir.resolve("net"));
        uts = Files.createFile(dir.resolve("uts"));
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path file : new Path[] {ipc, net, uts}) {
            if (file != null) {
                Mounts.unmount(file);
            }
        }
        run("umount", dir.toString());
    }

    @Test
    void createsPinnedNamespacesWithHostnameAndLoopbackUp() throws Exception {
        PodNamespaceCalls.create(ipc, net, uts, "pod-under-test");

        assertThat(run("nsenter", "--uts=" + uts, "hostname").trim()).isEqualTo("pod-under-test");
        assertThat(run("hostname").trim()).isNotEqualTo("pod-under-test");
        String links = run("nsenter", "--net=" + net, "ip", "-o", "link", "show");
        assertThat(links).contains("lo:").contains("LOOPBACK,UP").doesNotContain("eth0");
        assertThat(run("nsenter", "--net=" + net, "readlink", "/proc/self/ns/net"))
                .as("a namespace of its own, not the node's")
                .isNotEqualTo(run("readlink", "/proc/self/ns/net"));
        assertThat(Mounts.unmount(net)).isTrue();
        assertThat(Mounts.unmount(net)).as("not mounted any more").isFalse();
    }

    @Test
    void hostNetworkGetsOnlyAnIpcNamespace() throws Exception {
        PodNamespaceCalls.create(ipc, null, null, "ignored");

        assertThat(run("nsenter", "--ipc=" + ipc, "true")).isEmpty();
        assertThat(Mounts.unmount(net)).isFalse();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
