package io.kube4j.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kube4j agent} joining a running {@code kube4j server} with a join token: the agent runs in a network
 * namespace of its own (a second worker cannot share the host's network stack: CNI bridge, nftables table, pod
 * routes), reaches the server through a veth pair, verifies the CA against the token, gets its node certificate
 * through an auto-approved CSR, registers a Ready node and runs a pod bound to it; its kubelet obtains a serving
 * certificate through a kubelet-serving CSR so that logs, exec and the node proxy reach it. Bad tokens are refused
 * with one line and exit code 1. With {@code -Dkube4j.e2e.runtime=containerd} the agent drives a containerd of its own,
 * running in its namespace ({@code --container-runtime-endpoint}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentE2ETest {
    @TempDir
    static Path tmp;

    static AgentNetns netns;
    static Kube4jServer server;
    static Kubectl kubectl;
    static String joinToken;
    static String serverUrl;
    static Path agentDir;
    static String nodeName;
    static AgentProcess agent;
    /** The agent node's runtime in the containerd pass, else null (the agent starts kube4j's own). */
    static PrivateContainerd containerd;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: network namespaces, containers");
        netns = AgentNetns.create();
        // the agent reaches the API through the veth: the server listens beyond loopback, its certificate names the IP
        server = Phases.get("server ready", () -> new Kube4jServer(tmp.resolve("server"), "--bind-address", "0.0.0.0",
                "--tls-san", netns.hostIp).start());
        kubectl = server.kubectl(tmp.resolve("kubectl-cache"));
        serverUrl = "https://" + netns.hostIp + ":" + server.port();
        Kubectl.Result token = runJar("token", "create", "--data-dir", server.dataDir().toString());
        assertThat(token.exitCode()).as(token.stdout()).isZero();
        joinToken = token.stdout().strip();
        assertThat(joinToken).startsWith("K10");
        agentDir = tmp.resolve("agent");
        nodeName = "agent-" + netns.name.substring("k4jagent".length());
        BusyboxImages.copyInto(agentDir.resolve("images"));
        if (PrivateContainerd.selected()) {
            containerd = Phases.get("containerd ready",
                    () -> PrivateContainerd.start(agentDir.resolve("containerd"), netns));
        }
    }

    /**
     * A case no node's runtime takes part in (here: a join refused before the agent starts one) runs in the kube4j
     * pass only: the containerd pass keeps its time for what the node's runtime changes.
     */
    static void skippedOnContainerd(String why) {
        Assumptions.assumeFalse(PrivateContainerd.selected(), why + ": the kube4j pass covers it");
    }

    /** The agent's flags, and the runtime endpoint when the node runs on containerd. */
    static String[] nodeFlags(String... flags) {
        List<String> all = new java.util.ArrayList<>(List.of(flags));
        if (containerd != null) {
            all.addAll(List.of("--container-runtime-endpoint", containerd.endpoint()));
        }
        return all.toArray(String[]::new);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            // the agent's pod is not deleted first (its grace period would be waited out): kube4j killall in the
            // agent's network namespace stops it and removes what the node made
            Phases.run("agent stop", agent::stop);
            Phases.run("worker cleanup", () -> {
                if (containerd != null) {
                    containerd.close(); // its tasks, shims, mounts and sandbox namespaces
                }
                Kube4jServer.killall(agentDir, netns, "/");
            });
        }
        if (server != null) {
            Phases.run("server stop", server::stop);
        }
        if (containerd != null) {
            containerd.close(); // no-op when closed above; the agent never started otherwise
        }
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    @Order(1)
    void aTokenForAnotherCaIsRefusedBeforeAnythingIsSent() {
        skippedOnContainerd("no runtime: the join is refused first");
        String otherHash = "K10" + "0".repeat(64) + joinToken.substring(joinToken.indexOf("::"));
        Kubectl.Result r = AgentProcess.runToExit(tmp.resolve("refused-hash"), "--server",
                "https://127.0.0.1:" + server.port(), "--token", otherHash, "--node-name", "intruder");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("kube4j agent: the server's CA (sha256 ")
                .contains("does not match the token's CA hash");
        assertThat(kubectl.run("get", "csr", "-o", "name").stdout()).isBlank();
    }

    @Test
    @Order(2)
    void aWrongTokenIsRefused() {
        skippedOnContainerd("no runtime: the join is refused first");
        String wrong = joinToken.substring(0, joinToken.indexOf("::") + 2) + "zzzzzz.0123456789abcdef";
        Kubectl.Result r = AgentProcess.runToExit(tmp.resolve("refused-token"), "--server",
                "https://127.0.0.1:" + server.port(), "--token", wrong, "--node-name", "intruder");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("kube4j agent: the server refused the join token (401 Unauthorized)");
    }

    @Test
    @Order(3)
    void anUnreachableServerOrAMalformedTokenIsOneLine() {
        skippedOnContainerd("no runtime: the join is refused first");
        Kubectl.Result unreachable = AgentProcess.runToExit(tmp.resolve("unreachable"), "--server",
                "https://127.0.0.1:" + Ports.free(), "--token", joinToken);
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.stdout()).contains("kube4j agent: cannot reach the server at https://127.0.0.1:");
        Kubectl.Result malformed = AgentProcess.runToExit(tmp.resolve("malformed"), "--server", serverUrl,
                "--token", "not-a-token");
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.stdout()).contains("kube4j agent: --token is not a join token");
    }

    @Test
    @Order(4)
    void theAgentJoinsItsNodeIsReadyAndRunsAPodBoundToIt() throws IOException {
        agent = AgentProcess.start(netns, agentDir, nodeFlags("--server", serverUrl, "--token", joinToken,
                "--node-name", nodeName, "--kubelet-port", String.valueOf(Ports.free())));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(agent.isAlive()).as(agent.log()).isTrue();
            assertThat(kubectl.run("get", "node", nodeName, "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout()).isEqualTo("True");
        });
        assertThat(agent.log()).contains("waiting for certificate signing request");
        assertThat(Files.exists(agentDir.resolve("kubelet.kubeconfig"))).isTrue();

        String csrs = kubectl.run("get", "csr").assertOk().stdout();
        assertThat(csrs).contains("SIGNERNAME").contains("REQUESTOR").contains("CONDITION")
                .contains("kubernetes.io/kube-apiserver-client-kubelet")
                .contains("system:bootstrap:" + joinToken.substring(joinToken.indexOf("::") + 2, joinToken.indexOf('.')))
                .contains("Approved,Issued");

        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: on-agent}
                spec:
                  nodeName: %s
                  containers:
                  - name: c
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "echo hello-from-agent && exec sleep 3600"]
                """.formatted(nodeName), "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(kubectl.run("get", "pod", "on-agent",
                "-o", "jsonpath={.status.phase}").stdout()).as(agent.log()).isEqualTo("Running"));
    }

    /**
     * The agent's kubelet asks for its serving certificate (a kubernetes.io/kubelet-serving CSR naming only its own
     * addresses), the controller manager approves and signs it, and the API server reaches the kubelet over verified
     * TLS: logs, exec and the node proxy work for a pod on the agent node.
     */
    @Test
    @Order(5)
    void theAgentsKubeletServesWithAnIssuedCertificateSoLogsAndExecWork() {
        Assumptions.assumeTrue(agent != null && agent.isAlive(), "the agent joined");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("get", "csr", "-o",
                "jsonpath={range .items[*]}{.spec.signerName} {.spec.username} {.status.conditions[0].type}"
                        + " {.status.certificate}{\"\\n\"}{end}").stdout())
                .as(agent.log())
                .containsPattern("kubernetes.io/kubelet-serving system:node:" + nodeName + " Approved \\S+"));
        assertThat(agent.log()).contains("kubelet serving certificate");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("logs", "on-agent")
                .stdout()).as(agent.log()).isEqualTo("hello-from-agent\n"));
        Kubectl.Result exec = kubectl.run("exec", "on-agent", "--", "sh", "-c", "echo exec-on-$((40+2))");
        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        assertThat(exec.stdout()).isEqualTo("exec-on-42\n");

        String summary = kubectl.run("get", "--raw", "/api/v1/nodes/" + nodeName + "/proxy/stats/summary")
                .assertOk().stdout();
        assertThat(summary).contains("\"nodeName\":\"" + nodeName + "\"").contains("\"podRef\":{\"name\":\"on-agent\"")
                .contains("\"usageCoreNanoSeconds\"").contains("\"workingSetBytes\"");
        assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/" + nodeName + "/proxy/metrics").assertOk().stdout())
                .contains("kubelet_node_name{node=\"" + nodeName + "\"} 1")
                .contains("kubelet_running_pods ")
                .contains("kubelet_pod_start_duration_seconds_count ")
                .contains("kubelet_runtime_operations_total{operation_type=\"run_podsandbox\"}");
        assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/" + nodeName + "/proxy/pods").assertOk().stdout())
                .contains("\"kind\":\"PodList\"").contains("\"name\":\"on-agent\"");
    }

    @Test
    @Order(6)
    void aRestartedAgentReusesItsCredentials() {
        Assumptions.assumeTrue(agent != null && agent.isAlive(), "the agent joined");
        agent.stop();
        agent = AgentProcess.start(netns, agentDir, nodeFlags("--server", serverUrl, "--node-name", nodeName,
                "--kubelet-port", String.valueOf(Ports.free())));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(agent.log()).contains("reusing the node credentials"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("get", "pod", "on-agent",
                "-o", "jsonpath={.status.phase}").stdout()).as(agent.log()).isEqualTo("Running"));
        // one client and one serving certificate request: the restarted kubelet serves the certificate it stored
        assertThat(kubectl.run("get", "csr", "-o", "jsonpath={range .items[*]}{.spec.signerName}{\"\\n\"}{end}")
                .stdout().strip().lines().sorted().toList())
                .containsExactly("kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("logs", "on-agent")
                .stdout()).as(agent.log()).isEqualTo("hello-from-agent\n"));
    }

    static Kubectl.Result runJar(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Kube4jServer.jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return new Kubectl.Result(p.exitValue(), out, "");
    }
}
