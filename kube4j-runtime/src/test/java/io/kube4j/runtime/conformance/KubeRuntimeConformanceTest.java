package io.kube4j.runtime.conformance;

import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The conformance suite against kube4j-runtime, started in this JVM on a temporary root. */
class KubeRuntimeConformanceTest extends CriConformanceSuite {
    private static RuntimeServer server;
    private static CriClient client;
    private static Path base;
    private static String bridge;
    private static String ipPrefix;

    @BeforeAll
    static void startRuntime() throws Exception {
        base = Files.createTempDirectory("kube4j-cri");
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        ipPrefix = "10.201." + subnet + ".";
        bridge = "k4jt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        RuntimeOptions options = RuntimeOptions.defaults(base.resolve("root"), base.resolve("cri.sock"))
                .withImportDir(TestImages.busyboxArchiveDir())
                .withNetwork(ipPrefix + "0/24", bridge, false);
        server = RuntimeServer.start(options);
        client = new CriClient(server.socket());
    }

    @AfterAll
    static void stopRuntime() throws Exception {
        try {
            if (client != null) {
                client.removeAllSandboxes();
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
        }
    }

    @Override
    protected CriClient cri() {
        return client;
    }

    @Override
    protected Path logRoot() {
        return base.resolve("logs");
    }

    @Override
    protected String podIpPrefix() {
        return ipPrefix;
    }

    @Override
    protected void assertNothingLeftOf(String sandboxId) throws Exception {
        assertThat(Path.of("/run/kube4j/ns", sandboxId + "-net")).doesNotExist();
        assertThat(Path.of("/run/kube4j/ns", sandboxId + "-ipc")).doesNotExist();
        assertThat(NodeState.cgroupExists("kube4j/" + sandboxId)).as("pod cgroup").isFalse();
        assertThat(NodeState.mountsMentioning(sandboxId)).as("mounts").isEmpty();
        assertThat(NodeState.processesMentioning(sandboxId)).as("processes").isEqualTo(List.of());
        assertThat(base.resolve("root/sandboxes").resolve(sandboxId)).doesNotExist();
    }
}
