package io.kube4j.runtime.conformance;

import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.ContainerStatus;
import io.kube4j.cri.v1.ListContainersRequest;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.cri.v1.VersionRequest;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime dies by SIGKILL while containers run: they keep running, and a new runtime on the
 * same root reports them, and their exit codes when they end.
 */
class RuntimeRestartTest {
    private Path base;
    private String bridge;
    private String cidr;
    private Process child;
    private RuntimeServer server;
    private CriClient client;

    @BeforeEach
    void setUp() throws Exception {
        base = Files.createTempDirectory("kube4j-restart");
        cidr = "10.202." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24";
        bridge = "k4jr" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (client != null) {
                client.removeAllSandboxes();
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (child != null) {
                child.destroyForcibly().waitFor();
            }
            new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
        }
    }

    private Process startRuntimeInChildJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "io.kube4j.runtime.RuntimeServer",
                "--root", base.resolve("root").toString(), "--socket", base.resolve("cri.sock").toString(),
                "--images", TestImages.busyboxArchiveDir().toString(), "--pod-cidr", cidr, "--bridge", bridge, "--ip-masq", "false")
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("child-runtime.log").toFile())
                .start();
    }

    @Test
    void containersSurviveARuntimeKillAndTheirExitCodesAreReportedAfterRestart() throws Exception {
        child = startRuntimeInChildJvm();
        client = new CriClient(base.resolve("cri.sock"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> client.rt().version(VersionRequest.getDefaultInstance()).getRuntimeName().equals("kube4j"));

        PodSandboxConfig config = CriClient.sandboxConfig("restart", base.resolve("logs"));
        String sandbox = client.runSandbox(config);
        String waiter = client.startNew(sandbox, config, CriClient.containerConfig("waiter", TestImages.BUSYBOX,
                "sh", "-c", "while [ ! -f /tmp/go ]; do sleep 0.1; done; exit 7").build());
        String quick = client.startNew(sandbox, config, CriClient.containerConfig("quick", TestImages.BUSYBOX,
                "sh", "-c", "sleep 1; exit 4").build());
        assertThat(client.status(waiter).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);

        child.destroyForcibly();
        child.waitFor();
        client.close();
        assertThat(NodeState.processesMentioning(waiter)).as("the waiter's monitor outlives the runtime").isNotEmpty();

        server = RuntimeServer.start(RuntimeOptions.defaults(base.resolve("root"), base.resolve("cri.sock"))
                .withImportDir(TestImages.busyboxArchiveDir()).withNetwork(cidr, bridge, false));
        client = new CriClient(base.resolve("cri.sock"));

        assertThat(client.sandboxStatus(sandbox).getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
        assertThat(client.rt().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList())
                .extracting(c -> c.getId()).contains(waiter, quick);
        assertThat(client.status(waiter).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);

        assertThat(client.exec(waiter, 30, "touch", "/tmp/go").getExitCode()).isZero();
        for (var expected : List.of(List.of(waiter, 7), List.of(quick, 4))) {
            String id = (String) expected.get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> client.status(id).getState() == ContainerState.CONTAINER_EXITED);
            ContainerStatus status = client.status(id);
            assertThat(status.getExitCode()).isEqualTo(expected.get(1));
            assertThat(status.getReason()).isEqualTo("Error");
        }
    }
}
