package io.kube4j.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user meets on day one with kubectl on a single-node cluster, where kube4j once answered otherwise than
 * upstream 1.32: the node's conditions, the events of a crash loop, a field of the wrong type in an edit, and
 * {@code kubectl debug} with ephemeral containers.
 */
class NewUserWalkthroughE2ETest {
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    /** The kubelet read pid_max as its first digit only, so every node said PIDPressure. */
    @Test
    void aFreshNodeHasNoPressure() {
        Kubectl.Result conditions = cluster.kubectl().run("get", "nodes", "-o",
                "jsonpath={range .items[0].status.conditions[*]}{.type}={.status}{\"\\n\"}{end}").assertOk();
        assertThat(conditions.stdout().lines()).contains("MemoryPressure=False", "DiskPressure=False",
                "PIDPressure=False", "Ready=True");
    }

    /**
     * A crash loop shows in {@code describe}: the kubelet's repeats are one event with a count (a node may not read
     * events, and patching one by name read it first: every other repeat was lost), and a BackOff warning.
     */
    @Test
    void aCrashLoopsEventsAreCountedAndWarnOfTheBackOff() {
        cluster.kubectl().run("run", "crash", "--image=busybox", "--image-pull-policy=IfNotPresent", "--restart=Always",
                "--", "sh", "-c", "exit 3")
                .assertOk();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String counts = cluster.kubectl().run("get", "events", "--field-selector",
                    "involvedObject.name=crash,reason=Started", "-o", "jsonpath={.items[*].count}").assertOk().stdout();
            // one Started event counting the starts, not one event per other start
            assertThat(counts).as("no Started event yet").isNotBlank();
            assertThat(counts.trim().split("\\s+")).as(counts).hasSize(1);
            assertThat(Integer.parseInt(counts.trim())).isGreaterThanOrEqualTo(3);
            assertThat(cluster.kubectl().run("get", "events", "--field-selector",
                    "involvedObject.name=crash,reason=BackOff", "-o", "jsonpath={.items[*].type} {.items[*].message}")
                    .assertOk().stdout()).startsWith("Warning Back-off restarting failed container crash in pod crash_default(");
        });
        String describe = cluster.kubectl().run("describe", "pod", "crash").assertOk().stdout();
        assertThat(describe).containsPattern("Started +\\S+ \\(x\\d+ over \\S+\\) +kubelet +Started container crash");
        cluster.kubectl().run("delete", "pod", "crash", "--wait=false");
    }

    /**
     * A value its field cannot hold is refused as upstream's decoder refuses it; stored, it stopped the controller
     * manager's informers of its kind (a Deployment with replicas "abc" ended every Deployment's reconciling).
     */
    @Test
    void aValueOfTheWrongTypeIsRefusedAndControllersCarryOn() {
        cluster.kubectl().run("create", "deployment", "typed", "--image=busybox", "--replicas=0", "--", "sleep", "3600")
                .assertOk();
        Kubectl.Result apply = cluster.kubectl().runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typed-bad}
                spec:
                  replicas: "abc"
                  selector: {matchLabels: {app: typed-bad}}
                  template:
                    metadata: {labels: {app: typed-bad}}
                    spec: {containers: [{name: c, image: busybox, command: sleep}]}
                """, "apply", "-f", "-");
        assertThat(apply.exitCode()).as(apply.stdout()).isNotZero();
        assertThat(apply.stderr()).contains("Error from server (BadRequest)").contains("Deployment in version \"v1\" "
                + "cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field "
                + "DeploymentSpec.spec.replicas of type int32");

        Kubectl.Result patch = cluster.kubectl().run("patch", "deployment", "typed", "--type=merge", "-p",
                "{\"spec\":{\"replicas\":\"abc\"}}");
        assertThat(patch.exitCode()).isNotZero();
        assertThat(patch.stderr()).contains("is invalid: patch: Invalid value:")
                .contains("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");

        Kubectl.Result configMap = cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: numbers}
                data: {port: 8080}
                """, "apply", "-f", "-");
        assertThat(configMap.exitCode()).isNotZero();
        assertThat(configMap.stderr())
                .contains("json: cannot unmarshal number into Go struct field ConfigMap.data of type string");

        // the deployment controller still reconciles
        cluster.kubectl().run("scale", "deployment", "typed", "--replicas=2").assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cluster.kubectl().run("get",
                "replicasets", "-l", "app=typed", "-o", "jsonpath={.items[0].spec.replicas}").stdout()).isEqualTo("2"));
        cluster.kubectl().run("delete", "deployment", "typed", "--wait=false");
    }

    /**
     * {@code kubectl debug} adds an ephemeral container to a running pod: it shares the target container's PID
     * namespace (its {@code ps} shows the target's {@code sleep}), its output is read with {@code logs -c}, {@code -i}
     * attaches to it, {@code exec} runs in it, and it is reported in status.ephemeralContainerStatuses. A path the
     * server does not serve is still upstream's bare 404, which kubectl tells from a missing object.
     */
    @Test
    void debugAddsAnEphemeralContainerToARunningPod() {
        cluster.kubectl().run("run", "target", "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "3600")
                .assertOk();
        cluster.kubectl().run("wait", "--for=condition=Ready", "pod/target", "--timeout=120s").assertOk();

        cluster.kubectl().run("debug", "target", "--image=busybox", "--image-pull-policy=IfNotPresent", "--profile=general",
                "--target=target", "-c", "debugger", "--", "sh", "-c", "ps; echo done").assertOk();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String logs = cluster.kubectl().run("logs", "target", "-c", "debugger").stdout();
            assertThat(logs).contains("done").contains("sleep 3600");
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cluster.kubectl().run("get", "pod",
                "target", "-o", "jsonpath={.status.ephemeralContainerStatuses[0].name} "
                        + "{.status.ephemeralContainerStatuses[0].state.terminated.reason} "
                        + "{.status.ephemeralContainerStatuses[0].ready}").assertOk().stdout())
                .isEqualTo("debugger Completed false"));

        // -i attaches once the container runs and streams stdin to it (no pty in this harness, so no -t)
        Kubectl.Result attached = cluster.kubectl().runWithInput("ps\necho attached-$((40+2))\nexit\n", "debug",
                "target", "-i", "--image=busybox", "--image-pull-policy=IfNotPresent", "--profile=general", "--target=target",
                "-c", "shell", "--", "sh");
        assertThat(attached.exitCode()).as(attached.stderr()).isZero();
        assertThat(attached.stdout()).contains("attached-42").contains("sleep 3600");

        cluster.kubectl().run("debug", "target", "--image=busybox", "--image-pull-policy=IfNotPresent", "--profile=general",
                "-c", "sleeper", "--", "sleep", "3600").assertOk();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("exec", "target", "-c", "sleeper", "--", "echo", "in-sleeper")
                        .assertOk().stdout()).isEqualTo("in-sleeper\n"));
        // --profile=general asks for SYS_PTRACE: the runtime's default set (a80425fb) plus bit 19
        assertThat(cluster.kubectl().run("exec", "target", "-c", "sleeper", "--", "grep", "CapEff", "/proc/self/status").assertOk()
                .stdout()).isEqualTo("CapEff:\t00000000a80c25fb\n");
        // the pod's own readiness is untouched by its debuggers
        assertThat(cluster.kubectl().run("get", "pod", "target", "-o", "jsonpath={.status.phase} "
                + "{.status.conditions[?(@.type==\"Ready\")].status}").assertOk().stdout()).isEqualTo("Running True");

        Kubectl.Result raw = cluster.kubectl().run("get", "--raw", "/api/v1/namespaces/default/nosuchthings");
        assertThat(raw.exitCode()).isNotZero();
        assertThat(Arrays.asList(raw.stderr().split("\n")))
                .contains("Error from server (NotFound): the server could not find the requested resource");
        cluster.kubectl().run("delete", "pod", "target", "--wait=false");
    }

    /** A typo in a label selector is said once, as upstream says it (the API layer prefixed the parser's words again). */
    @Test
    void aMalformedSelectorIsExplainedOnce() {
        Kubectl.Result get = cluster.kubectl().run("get", "pods", "-l", "app in (web");
        assertThat(get.exitCode()).isNotZero();
        assertThat(get.stderr()).contains("Error from server (BadRequest)")
                .contains("field selector \"\": unable to parse requirement: found '', expected: ',' or ')'");
    }
}
