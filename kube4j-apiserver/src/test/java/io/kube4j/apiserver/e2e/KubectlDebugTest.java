package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code kubectl debug} against the API server alone (no node runs the pod): its strategic merge patch of
 * {@code pods/ephemeralcontainers} adds the container it describes; without -i it does not wait for it to run.
 */
class KubectlDebugTest {

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    @Test
    void debugAddsAnEphemeralContainer() {
        cluster.kubectl().run("run", "target", "--image=busybox", "--", "sleep", "3600").ok();

        cluster.kubectl().run("debug", "target", "--image=busybox", "--profile=general",
                "--target=target", "-c", "debugger", "--", "sh", "-c", "ps; echo done").ok();
        Kubectl.Result spec = cluster.kubectl().run("get", "pod", "target", "-o",
                "jsonpath={.spec.ephemeralContainers[0].name} "
                + "{.spec.ephemeralContainers[0].targetContainerName} {.spec.ephemeralContainers[0].command} "
                + "{.spec.ephemeralContainers[0].securityContext.capabilities.add}");
        assertThat(spec.out()).isEqualTo("debugger target [\"sh\",\"-c\",\"ps; echo done\"] [\"SYS_PTRACE\"]");

        // the name of a regular container is taken: upstream's 422, as kubectl prints it
        Kubectl.Result taken = cluster.kubectl().run("debug", "target", "--image=busybox", "--profile=general", "-c",
                "target", "--", "true");
        assertThat(taken.exit()).as(taken.all()).isNotZero();
        assertThat(taken.err()).contains("The Pod \"target\" is invalid: spec.ephemeralContainers[1].name: Duplicate "
                + "value: \"target\"");

        // a missing pod is named as missing, not taken for a cluster without ephemeral containers
        Kubectl.Result missing = cluster.kubectl().run("debug", "nope", "--image=busybox", "--", "true");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("pods \"nope\" not found").doesNotContain("disabled");
    }
}
