package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code kubectl debug} against the API server alone (no node runs the pod): its strategic merge patch of
 * {@code pods/ephemeralcontainers} adds the container it describes; without -i it does not wait for it to run.
 */
class KubectlDebugTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        kubectl = new Kubectl(server.kubeconfig(), dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void debugAddsAnEphemeralContainer() {
        Kubectl.Result run = kubectl.run("run", "target", "--image=busybox", "--", "sleep", "3600");
        assertThat(run.exit()).as(run.all()).isZero();

        Kubectl.Result debug = kubectl.run("debug", "target", "--image=busybox", "--profile=general",
                "--target=target", "-c", "debugger", "--", "sh", "-c", "ps; echo done");
        assertThat(debug.exit()).as(debug.all()).isZero();
        Kubectl.Result spec = kubectl.run("get", "pod", "target", "-o", "jsonpath={.spec.ephemeralContainers[0].name} "
                + "{.spec.ephemeralContainers[0].targetContainerName} {.spec.ephemeralContainers[0].command} "
                + "{.spec.ephemeralContainers[0].securityContext.capabilities.add}");
        assertThat(spec.out()).isEqualTo("debugger target [\"sh\",\"-c\",\"ps; echo done\"] [\"SYS_PTRACE\"]");

        // the name of a regular container is taken: upstream's 422, as kubectl prints it
        Kubectl.Result taken = kubectl.run("debug", "target", "--image=busybox", "--profile=general", "-c", "target",
                "--", "true");
        assertThat(taken.exit()).as(taken.all()).isNotZero();
        assertThat(taken.err()).contains("The Pod \"target\" is invalid: spec.ephemeralContainers[1].name: Duplicate "
                + "value: \"target\"");

        // a missing pod is named as missing, not taken for a cluster without ephemeral containers
        Kubectl.Result missing = kubectl.run("debug", "nope", "--image=busybox", "--", "true");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("pods \"nope\" not found").doesNotContain("disabled");
    }
}
