package io.kube4j.runtime.network;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With the kernel: two "pods" (network namespaces with an address, their veths on a bridge of the test's own) of
 * which the runtime knows one. Reclaiming removes the other's veth, so its address is free again, and keeps the
 * known pod's.
 */
class NetworkLeftoversKernelTest {
    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final String bridge = "k4jl" + suffix;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("0".equals(run("id", "-u").strip()), "needs root");
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "link", "set", bridge, "up");
        pod("known", "10.205.7.2");
        pod("orphan", "10.205.7.3");
    }

    private void pod(String name, String ip) throws Exception {
        String ns = "k4jl" + suffix + name;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        String veth = "k4jl" + suffix + name.charAt(0);
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "link", "set", veth, "master", bridge);
        run("ip", "link", "set", veth, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String ns : namespaces) {
            runQuietly("ip", "netns", "del", ns);
        }
        runQuietly("ip", "link", "del", bridge);
    }

    @Test
    void theVethOfAnUnknownSandboxGoesAndAKnownOneStays() throws Exception {
        new NetworkLeftovers(bridge, "kube4j-" + bridge)
                .reclaim(Map.of("known-sandbox", Path.of("/var/run/netns/" + namespaces.get(0))));

        assertThat(run("ip", "-o", "link", "show", "master", bridge)).contains("k4jl" + suffix + "k")
                .doesNotContain("k4jl" + suffix + "o");
        assertThat(run("ip", "netns", "exec", namespaces.get(0), "ip", "-o", "addr")).contains("10.205.7.2");
        assertThat(run("ip", "netns", "exec", namespaces.get(1), "ip", "-o", "addr")).doesNotContain("10.205.7.3");
    }

    @Test
    void nothingIsRemovedWhenAKnownPodCannotBeRead() throws Exception {
        // a known sandbox whose namespace cannot be entered: unsure which port is whose, so every port stays
        new NetworkLeftovers(bridge, "kube4j-" + bridge)
                .reclaim(Map.of("known-sandbox", Path.of("/proc/self/status")));

        assertThat(run("ip", "-o", "link", "show", "master", bridge)).contains("k4jl" + suffix + "k")
                .contains("k4jl" + suffix + "o");
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static void runQuietly(String... cmd) throws InterruptedException {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort: the test's own links only
        }
    }
}
