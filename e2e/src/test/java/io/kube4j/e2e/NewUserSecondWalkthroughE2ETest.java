package io.kube4j.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user meets on a second afternoon with kubectl, going through the Kubernetes tutorials on a single-node
 * cluster, where kube4j once answered otherwise than upstream 1.32: exec of a command the image does not have, a
 * StatefulSet's pods knowing their DNS names, and the events of {@code kubectl describe node}.
 */
class NewUserSecondWalkthroughE2ETest {
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    @BeforeAll
    static void start() {
        cluster.kubectl().run("run", "shell", "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "3600")
                .assertOk();
    }

    private static void awaitReady(String pod) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pod", pod, "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout()).isEqualTo("True"));
    }

    /**
     * A command the image lacks is the OCI runtime's words and the shell's exit code (127, 126 for one that cannot
     * run), as on upstream's runtimes; kube4j passed runc's raw log line on, with runc's own exit code 255.
     */
    @Test
    void execOfAMissingCommandSaysSoWithTheShellsExitCode() {
        awaitReady("shell");
        Kubectl.Result missing = cluster.kubectl().run("exec", "shell", "--", "nosuch");
        assertThat(missing.exitCode()).as(missing.stderr()).isEqualTo(127);
        assertThat(missing.stderr().lines()).containsExactly(
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuch\": "
                        + "executable file not found in $PATH: unknown",
                "command terminated with exit code 127");

        Kubectl.Result notExecutable = cluster.kubectl().run("exec", "shell", "--", "/etc/passwd");
        assertThat(notExecutable.exitCode()).as(notExecutable.stderr()).isEqualTo(126);
        assertThat(notExecutable.stderr()).contains("exec: \"/etc/passwd\": permission denied: unknown")
                .doesNotContain("level=error");

        // the command's own failure is still its own
        Kubectl.Result own = cluster.kubectl().run("exec", "shell", "--", "sh", "-c",
                "echo exec failed: mine >&2; exit 255");
        assertThat(own.exitCode()).isEqualTo(255);
        assertThat(own.stderr().lines()).containsExactly("exec failed: mine", "command terminated with exit code 255");
    }

    /**
     * The StatefulSet tutorial: each pod of a StatefulSet behind a headless Service resolves by its DNS name, and
     * knows itself by it ({@code hostname -f}) from the kubelet's /etc/hosts, as upstream writes it (with the pod's
     * hostAliases); kube4j's hosts file named the pod's short host name only.
     */
    @Test
    void aStatefulSetsPodsHaveTheirDnsNames() {
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: nginx}
                spec:
                  clusterIP: None
                  selector: {app: nginx}
                  ports: [{port: 80, name: web}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: nginx
                  replicas: 2
                  selector: {matchLabels: {app: nginx}}
                  template:
                    metadata: {labels: {app: nginx}}
                    spec:
                      hostAliases: [{ip: 127.0.0.1, hostnames: [foo.local, bar.local]}]
                      containers: [{name: web, image: busybox, imagePullPolicy: IfNotPresent, command: [httpd, -f, -p, "80"]}]
                """, "apply", "-f", "-").assertOk();
        awaitReady("web-1");
        String ip = cluster.kubectl().run("get", "pod", "web-1", "-o", "jsonpath={.status.podIP}").assertOk().stdout();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("exec", "shell", "--", "nslookup",
                        "web-1.nginx.default.svc.cluster.local").assertOk().stdout()).contains("Address: " + ip));
        assertThat(cluster.kubectl().run("exec", "web-1", "--", "hostname", "-f").assertOk().stdout().trim())
                .isEqualTo("web-1.nginx.default.svc.cluster.local");
        assertThat(cluster.kubectl().run("exec", "web-1", "--", "cat", "/etc/hosts").assertOk().stdout())
                .startsWith("# Kubernetes-managed hosts file.\n")
                .contains(ip + "\tweb-1.nginx.default.svc.cluster.local\tweb-1\n")
                .endsWith("# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n");
        cluster.kubectl().run("delete", "statefulset", "web", "--wait=false");
    }

    /** describe node lists upstream's node events; kube4j's allocator recorded a range assigned, which upstream does not. */
    @Test
    void describeNodeShowsUpstreamsNodeEvents() {
        String node = cluster.kubectl().run("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").assertOk()
                .stdout();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("describe", "node", node).assertOk().stdout())
                        .contains("Allocated resources:", "RegisteredNode", "Starting kubelet.", "NodeReady"));
        assertThat(cluster.kubectl().run("describe", "node", node).assertOk().stdout())
                .doesNotContain("CIDRAssignment");
    }
}
