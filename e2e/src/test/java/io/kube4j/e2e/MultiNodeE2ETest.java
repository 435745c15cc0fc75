package io.kube4j.e2e;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 3-node cluster on one machine: {@code kube4j server} with its local worker in the host's network namespace, and
 * two {@code kube4j agent}s joined by token, each in a namespace of its own. All three are on one bridge (one L2
 * segment, as a real cluster's nodes), so the host-gw pod routes {@code <podCIDR> via <node IP>} are valid; an
 * "outside" namespace on the same bridge is no node. Each node's pods get addresses from its own Node's podCIDR.
 * With {@code -Dkube4j.e2e.runtime=containerd} every node drives a containerd of its own, running in the node's
 * network namespace ({@code --container-runtime-endpoint}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeE2ETest {
    // kept when a test fails: the server's and agents' logs are in it
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    static final int ID = ThreadLocalRandom.current().nextInt(1, 250);
    static final String BRIDGE = "k4jmn" + ID;
    static final String BRIDGE_IP = "172.31." + ID + ".1";
    static final String SERVER_NODE = "mn-server";
    static final List<String> AGENT_NODES = List.of("mn-agent-1", "mn-agent-2");

    static ServerWithWorker server;
    static Kubectl kubectl;
    static String serverNodeIp;
    static final List<AgentNetns> namespaces = new ArrayList<>();
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Path> workerDirs = new ArrayList<>();
    /** The nodes' containerds in the containerd pass (server first), else empty. */
    static final List<PrivateContainerd> runtimes = new ArrayList<>();
    /** node -> the container ID of its client pod */
    static final java.util.Map<String, String> clientContainers = new java.util.concurrent.ConcurrentHashMap<>();
    static AgentNetns outside;
    static boolean bridgeCreated;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: network namespaces, containers");
        try {
            startCluster();
        } catch (Throwable e) {
            stop(); // @AfterAll is not reached when @BeforeAll fails half-way
            throw e;
        }
    }

    private static void startCluster() throws Exception {
        Path images = tmp.resolve("images");
        BusyboxImages.copyInto(images);

        AgentNetns.run("ip", "link", "add", BRIDGE, "type", "bridge");
        bridgeCreated = true;
        AgentNetns.run("ip", "addr", "add", BRIDGE_IP + "/24", "dev", BRIDGE);
        AgentNetns.run("ip", "link", "set", BRIDGE, "up");

        Path serverDir = tmp.resolve("server");
        copyImages(images, serverDir.resolve("images"));
        workerDirs.add(serverDir);
        String[] serverFlags = runtimeFlags(serverDir, null, "--node-name", SERVER_NODE,
                "--bind-address", "0.0.0.0", "--tls-san", BRIDGE_IP);
        server = Phases.get("server ready", () -> new ServerWithWorker(serverDir).start(serverFlags));
        kubectl = server.kubectl(tmp.resolve("kubectl-cache"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("get", "node", SERVER_NODE,
                "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").stdout()).as(server.log()).isNotBlank());
        serverNodeIp = kubectl.run("get", "node", SERVER_NODE,
                "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").stdout().strip();

        Kubectl.Result token = runJar("token", "create", "--data-dir", serverDir.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        String joinToken = token.stdout().strip();
        String serverUrl = "https://" + BRIDGE_IP + ":" + server.port();
        for (int i = 0; i < AGENT_NODES.size(); i++) {
            AgentNetns netns = AgentNetns.onBridge(BRIDGE, "k4jmn" + ID + "n" + i, "k4jmn" + ID + "v" + i,
                    "172.31." + ID + "." + (11 + i), BRIDGE_IP, List.of(serverNodeIp));
            namespaces.add(netns);
            Path dir = tmp.resolve(AGENT_NODES.get(i));
            copyImages(images, dir.resolve("images"));
            workerDirs.add(dir);
            // two kubelets on one host: each keeps its pods' cgroups under its own root
            agents.add(AgentProcess.start(netns, dir, runtimeFlags(dir, netns, "--server", serverUrl, "--token",
                    joinToken, "--node-name", AGENT_NODES.get(i), "--kubelet-port", String.valueOf(Ports.free()),
                    "--cgroup-root", "/" + AGENT_NODES.get(i) + "-" + ID)));
        }
        outside = AgentNetns.onBridge(BRIDGE, "k4jmn" + ID + "out", "k4jmn" + ID + "vo",
                "172.31." + ID + ".100", BRIDGE_IP, List.of(serverNodeIp));

        List<String> all = allNodes();
        Phases.run("nodes Ready", () -> await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
            for (AgentProcess agent : agents) {
                assertThat(agent.isAlive()).as(agent.log()).isTrue();
            }
            for (String node : all) {
                assertThat(kubectl.run("get", "node", node, "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout()).as(node).isEqualTo("True");
            }
        }));
    }

    /**
     * A node's flags; in the containerd pass, with the endpoint of a containerd started for it under its data
     * directory, in its namespace ({@code netns}, null for the server's node in the host's).
     */
    private static String[] runtimeFlags(Path nodeDir, AgentNetns netns, String... flags) {
        List<String> all = new ArrayList<>(List.of(flags));
        if (PrivateContainerd.selected()) {
            PrivateContainerd containerd = Phases.get("containerd ready",
                    () -> PrivateContainerd.start(nodeDir.resolve("containerd"), netns));
            runtimes.add(containerd);
            all.addAll(List.of("--container-runtime-endpoint", containerd.endpoint()));
        }
        return all.toArray(String[]::new);
    }

    /** The kube4j command to its end; stdout and stderr apart, both read (a failing command says why on stderr). */
    static Kubectl.Result runJar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Kube4jServer.jar().toString()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", args) + " did not exit: " + out + Files.readString(err));
        }
        return new Kubectl.Result(p.exitValue(), out, Files.readString(err));
    }

    private static void copyImages(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static List<String> allNodes() {
        List<String> all = new ArrayList<>(List.of(SERVER_NODE));
        all.addAll(AGENT_NODES);
        return all;
    }

    @AfterAll
    static void stop() {
        // no graceful deletion of the pods first: kube4j killall stops what each node left and removes what it made
        // (in the node's network namespace, under its cgroup root), and the namespaces take the rest
        Phases.run("agents and server stop", () -> {
            for (AgentProcess agent : agents) {
                agent.close();
            }
            if (server != null) {
                server.close();
            }
        });
        Phases.run("worker cleanup", () -> {
            for (PrivateContainerd containerd : runtimes) {
                containerd.close(); // its tasks, shims, mounts and sandbox namespaces
            }
            List<String> cgroupRoots = new ArrayList<>();
            // The nodes' killalls at once: each has its own data directory, network namespace (its bridge, nftables
            // tables and routes) and cgroup root, and the pins under the shared /run/kube4j/ns carry their owner (a
            // runtime leaves the pins of a sandbox another one still has a directory for).
            List<Thread> killalls = new ArrayList<>();
            for (int i = 0; i < workerDirs.size(); i++) {
                // the server's node in the host's namespace; then each agent's, which was started only once its
                // namespace was made
                AgentNetns netns = i == 0 ? null : namespaces.get(i - 1);
                String cgroupRoot = i == 0 ? "/" : "/" + AGENT_NODES.get(i - 1) + "-" + ID;
                Path dir = workerDirs.get(i);
                killalls.add(new Thread(() -> Kube4jServer.killall(dir, netns, cgroupRoot), "killall-" + i));
                if (i > 0) {
                    cgroupRoots.add(cgroupRoot.substring(1)); // made for this run only; killall leaves the root
                }
            }
            killalls.forEach(Thread::start);
            for (Thread killall : killalls) {
                try {
                    killall.join(); // each ends within killall's own time limit
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Kube4jServer.removeCgroups(cgroupRoots);
        });
        // the namespaces take their nftables tables, routes and CNI bridges with them
        for (AgentNetns netns : namespaces) {
            closeQuietly(netns);
        }
        if (outside != null) {
            closeQuietly(outside);
        }
        if (bridgeCreated) {
            // the host's routes to the agents' pod CIDRs go through the bridge and vanish with it
            try {
                AgentNetns.run("ip", "link", "del", BRIDGE);
            } catch (IllegalStateException e) {
                System.err.println("cannot delete " + BRIDGE + ": " + e.getMessage());
            }
        }
    }

    private static void closeQuietly(AgentNetns netns) {
        try {
            netns.close();
        } catch (RuntimeException e) {
            System.err.println("cannot remove namespace " + netns.name + ": " + e.getMessage());
        }
    }

    private static String jsonpath(String what, String name, String path) {
        return kubectl.run("get", what, name, "-o", "jsonpath=" + path).stdout().strip();
    }

    @Test
    @Order(1)
    void eachNodeHandsOutAddressesFromItsOwnPodCidr() {
        Set<String> cidrs = new HashSet<>();
        for (String node : allNodes()) {
            String cidr = jsonpath("node", node, "{.spec.podCIDR}");
            assertThat(cidr).as(node).isNotBlank();
            cidrs.add(cidr);
            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: client-%s, labels: {app: client}}
                    spec:
                      nodeName: %s
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: c
                        image: busybox
                        imagePullPolicy: IfNotPresent
                        command: ["sh", "-c", "exec sleep 3600"]
                    """.formatted(node, node), "apply", "-f", "-").assertOk();
        }
        assertThat(cidrs).hasSize(3);
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(jsonpath("pod", "client-" + node,
                    "{.status.podIP}")).as(node + ": " + kubectl.run("describe", "pod", "client-" + node).stdout())
                    .isNotBlank());
            String ip = jsonpath("pod", "client-" + node, "{.status.podIP}");
            String cidr = jsonpath("node", node, "{.spec.podCIDR}");
            assertThat(inCidr(ip, cidr)).as(ip + " in " + cidr + " of " + node).isTrue();
        }
    }

    @Test
    @Order(2)
    void aDeploymentSpreadOverTheNodesAnswersThroughItsServiceFromEveryNode() {
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: web}}
                            topologyKey: kubernetes.io/hostname
                      containers:
                      - name: httpd
                        image: busybox
                        imagePullPolicy: IfNotPresent
                        command: ["sh", "-c", "mkdir -p /www/cgi-bin && hostname > /www/index.html && echo ok > /www/ready.html && printf '#!/bin/sh\\\\necho Content-Type: text/plain\\\\necho\\\\necho $REMOTE_ADDR\\\\n' > /www/cgi-bin/peer && chmod +x /www/cgi-bin/peer && exec httpd -f -p 80 -h /www"]
                        ports: [{containerPort: 80}]
                        readinessProbe:
                          httpGet: {path: /ready.html, port: 80}
                          periodSeconds: 1
                          failureThreshold: 1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-headless}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-nodeport}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 80}]
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> assertThat(jsonpath("deployment", "web",
                "{.status.readyReplicas}")).as(kubectl.run("get", "pods", "-o", "wide").stdout()).isEqualTo("3"));
        String placement = kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}").stdout();
        assertThat(Set.of(placement.strip().split("\\s+"))).containsExactlyInAnyOrderElementsOf(allNodes());
        Set<String> replicas = Set.of(kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[*].metadata.name}").stdout().strip().split("\\s+"));

        for (String node : allNodes()) {
            Set<String> answered = new HashSet<>();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Kubectl.Result r = inPod(node, "wget", "-qO-", "http://web.default.svc.cluster.local");
                assertThat(r.exitCode()).as(node + ": " + r.stdout() + r.stderr()).isZero();
                answered.add(r.stdout().strip());
                assertThat(answered).as("replicas answering " + node).containsExactlyInAnyOrderElementsOf(replicas);
            });
        }
    }

    @Test
    @Order(3)
    void podToPodAcrossNodesKeepsTheSourceIp() {
        SoftAssertions softly = new SoftAssertions(); // every pair reported: which node breaks tells why
        for (String client : allNodes()) {
            String clientIp = jsonpath("pod", "client-" + client, "{.status.podIP}");
            for (String pod : kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")
                    .stdout().strip().split("\\s+")) {
                String webIp = jsonpath("pod", pod, "{.status.podIP}");
                Kubectl.Result r = inPod(client, "wget", "-qO-", "http://" + webIp + "/cgi-bin/peer");
                softly.assertThat(r.exitCode()).as(client + " -> " + pod + ": " + r.stderr()).isZero();
                softly.assertThat(peerAddress(r.stdout())).as(client + " -> " + pod).isEqualTo(clientIp);
            }
        }
        softly.assertAll();
    }

    @Test
    @Order(4)
    void aNodePortAnswersFromOutsideThroughEveryNode() {
        String nodePort = jsonpath("service", "web-nodeport", "{.spec.ports[0].nodePort}");
        assertThat(nodePort).isNotBlank();
        List<String> nodeIps = new ArrayList<>();
        for (String node : allNodes()) {
            nodeIps.add(jsonpath("node", node, "{.status.addresses[?(@.type==\"InternalIP\")].address}"));
        }
        SoftAssertions softly = new SoftAssertions();
        for (String ip : nodeIps) {
            softly.check(() -> await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String out = AgentNetns.run(outside.exec(List.of("busybox", "timeout", "5", "busybox", "wget", "-qO-",
                        "http://" + ip + ":" + nodePort)).toArray(String[]::new));
                assertThat(out.strip()).as("through " + ip).startsWith("web-");
            }));
        }
        softly.assertAll();
    }

    @Test
    @Order(5)
    void clusterDnsAnswersServiceHeadlessSrvAndPodRecordsFromEveryNode() {
        String clusterIp = jsonpath("service", "web", "{.spec.clusterIP}");
        List<String> webIps = List.of(kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[*].status.podIP}").stdout().strip().split("\\s+"));
        String podName = webIps.get(0).replace('.', '-') + ".default.pod.cluster.local";
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(inPod(node, "nslookup", "web.default.svc.cluster.local").stdout()).as(node)
                        .contains("Address: " + clusterIp);
                String headless = inPod(node, "nslookup", "web-headless.default.svc.cluster.local").stdout();
                for (String ip : webIps) {
                    assertThat(headless).as(node + " headless").contains("Address: " + ip);
                }
                // SRV for the named port: priority weight port target
                assertThat(inPod(node, "nslookup", "-type=srv", "_http._tcp.web-headless.default.svc.cluster.local")
                        .stdout()).as(node + " SRV").containsPattern(" 80 [0-9-]+\\.web-headless\\.default\\.svc\\.cluster\\.local");
                assertThat(inPod(node, "nslookup", podName).stdout()).as(node + " pod record")
                        .contains("Address: " + webIps.get(0));
            });
            Kubectl.Result unknown = inPod(node, "nslookup", "nope.default.svc.cluster.local");
            assertThat(unknown.exitCode()).as(node).isNotZero();
            assertThat(unknown.stdout() + unknown.stderr()).as(node).contains("NXDOMAIN");
        }
    }

    @Test
    @Order(6)
    void aReplicaWhoseReadinessFailsLeavesTheRotation() {
        // the server node's replica: its readiness page goes, its probe fails, its endpoint turns not ready
        String replica = kubectl.run("get", "pods", "-l", "app=web", "--field-selector", "spec.nodeName=" + SERVER_NODE,
                "-o", "jsonpath={.items[0].metadata.name}").stdout().strip();
        Set<String> all = Set.of(kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[*].metadata.name}").stdout().strip().split("\\s+"));
        kubectl.run("exec", replica, "--", "rm", "/www/ready.html").assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jsonpath("deployment", "web",
                "{.status.readyReplicas}")).isEqualTo("2"));
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> answered = new HashSet<>();
                for (int i = 0; i < 30; i++) {
                    Kubectl.Result r = inPod(node, "wget", "-qO-", "http://web.default.svc.cluster.local");
                    assertThat(r.exitCode()).as(node + ": " + r.stderr()).isZero();
                    answered.add(r.stdout().strip());
                }
                // 30 random picks over the two others miss one of them with odds of 2 in a billion
                Set<String> others = new HashSet<>(all);
                others.remove(replica);
                assertThat(answered).as(node).containsExactlyInAnyOrderElementsOf(others);
            });
        }
        kubectl.run("exec", replica, "--", "sh", "-c", "echo ok > /www/ready.html").assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jsonpath("deployment", "web",
                "{.status.readyReplicas}")).isEqualTo("3"));
    }

    @Test
    @Order(7)
    void defaultDenyIngressBlocksAndAnAllowingPolicyReopensForTheSelectedPodsOnly() {
        String webIp = kubectl.run("get", "pods", "-l", "app=web", "--field-selector", "spec.nodeName="
                + AGENT_NODES.get(0), "-o", "jsonpath={.items[0].status.podIP}").stdout().strip();
        String clientIp = jsonpath("pod", "client-" + AGENT_NODES.get(1), "{.status.podIP}");
        // before any policy: the web pod answers, the client pod (nothing listens on 80) refuses
        for (String node : allNodes()) {
            assertThat(inPod(node, "wget", "-qO-", "http://" + webIp).stdout()).as(node).startsWith("web-");
        }
        assertThat(inPod(SERVER_NODE, "wget", "-qO-", "http://" + clientIp).stderr()).contains("Connection refused");

        kubectl.runWithInput("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                """, "apply", "-f", "-").assertOk();
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Kubectl.Result r = inPod(node, "wget", "-qO-", "http://" + webIp);
                assertThat(r.exitCode()).as(node).isNotZero();
                // dropped, not refused: the connection never reaches the pod
                assertThat(r.stdout() + r.stderr()).as(node).doesNotContain("web-").doesNotContain("Connection refused");
            });
        }

        kubectl.runWithInput("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-clients-to-web}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: client}}}]
                    ports: [{protocol: TCP, port: 80}]
                """, "apply", "-f", "-").assertOk();
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inPod(node, "wget", "-qO-",
                    "http://" + webIp).stdout()).as(node).startsWith("web-"));
        }
        Kubectl.Result stillIsolated = inPod(SERVER_NODE, "wget", "-qO-", "http://" + clientIp);
        assertThat(stillIsolated.stdout() + stillIsolated.stderr()).as("a client pod is not selected by the policy")
                .doesNotContain("Connection refused");

        kubectl.run("delete", "networkpolicy", "default-deny", "allow-clients-to-web").assertOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inPod(SERVER_NODE, "wget", "-qO-",
                "http://" + clientIp).stderr()).contains("Connection refused"));
    }

    @Test
    @Order(8)
    void aDeletedServiceLeavesNoRuleOnAnyNode() {
        String clusterIp = jsonpath("service", "web-nodeport", "{.spec.clusterIP}");
        String nodePort = jsonpath("service", "web-nodeport", "{.spec.ports[0].nodePort}");
        String webClusterIp = jsonpath("service", "web", "{.spec.clusterIP}");
        for (String node : allNodes()) {
            assertThat(nodeTable(node)).as(node).contains("default/web-nodeport/").contains("tcp . " + nodePort);
        }
        kubectl.run("delete", "service", "web-nodeport").assertOk();
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String table = nodeTable(node);
                // the other Service is still there: this is the node's live proxy table
                assertThat(table).as(node).contains("default/web/").containsPattern(address(webClusterIp));
                assertThat(table).as(node).doesNotContain("default/web-nodeport/")
                        .doesNotContain("tcp . " + nodePort).doesNotContainPattern(address(clusterIp));
            });
        }
    }

    /** {@code ip} as a whole address: 10.43.0.1 is not found in 10.43.0.10. */
    private static String address(String ip) {
        return "(?<![0-9.])" + ip.replace(".", "\\.") + "(?![0-9])";
    }

    @Test
    @Order(9)
    void scaledToZeroConnectionsAreRefusedAtOnce() {
        String clusterIp = jsonpath("service", "web", "{.spec.clusterIP}");
        kubectl.run("scale", "deployment", "web", "--replicas=0").assertOk();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(kubectl.run("get", "pods", "-l",
                "app=web", "-o", "wide").stdout()).as(kubectl.run("get", "endpointslices", "-o", "wide").stdout())
                .doesNotContain("web-"));
        for (String node : allNodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Kubectl.Result r = inPod(node, "wget", "-qO-", "http://" + clusterIp);
                assertThat(r.exitCode()).isNotZero();
                // refused, not a timeout: the proxy rejects connections to a Service with no endpoints
                assertThat(r.stdout() + r.stderr()).as(node).contains("Connection refused");
            });
        }
    }

    /** busybox httpd's REMOTE_ADDR comes from a dual-stack socket: {@code [::ffff:10.42.0.2]} for 10.42.0.2. */
    static String peerAddress(String remoteAddr) {
        String address = remoteAddr.strip();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        return address.startsWith("::ffff:") ? address.substring("::ffff:".length()) : address;
    }

    @Test
    @Order(10)
    void aNodePortAlreadyTakenIsRefusedWith422() {
        AgentE2ETest.skippedOnContainerd("no runtime: the API server refuses it");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: first-nodeport}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80}]
                """, "create", "-f", "-").assertOk();
        String taken = jsonpath("service", "first-nodeport", "{.spec.ports[0].nodePort}");
        Kubectl.Result r = kubectl.runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: second-nodeport}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80, nodePort: %s}]
                """.formatted(taken), "create", "-f", "-", "-v=6");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("422 Unprocessable Entity")
                .contains("spec.ports[0].nodePort: Invalid value: " + taken + ": provided port is already allocated");
        assertThat(kubectl.run("get", "service", "second-nodeport").exitCode()).isNotZero();
        kubectl.run("delete", "service", "first-nodeport").assertOk();
    }

    @Test
    @Order(11)
    void aPolicyWithAnInvalidCidrIsRefusedWith422() {
        AgentE2ETest.skippedOnContainerd("no runtime: the API server refuses it");
        Kubectl.Result r = kubectl.runWithInput("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad-cidr}
                spec:
                  podSelector: {}
                  ingress:
                  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]
                """, "create", "-f", "-", "-v=6");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("422 Unprocessable Entity").contains("spec.ingress[0].from[0].ipBlock.cidr");
        assertThat(kubectl.run("get", "networkpolicy", "bad-cidr").exitCode()).isNotZero();
    }

    @Test
    @Order(12)
    void joiningWithAWrongOrExpiredTokenIsRefusedWithOneClearLine() throws Exception {
        AgentE2ETest.skippedOnContainerd("no runtime: the join is refused first");
        String serverUrl = "https://" + BRIDGE_IP + ":" + server.port();
        Kubectl.Result created = runJar("token", "create", "--ttl", "1s", "--data-dir", server.dataDir().toString());
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String expired = created.stdout().strip();
        // expired 1 s after it was made: 2.5 s after, for sure
        long expiredAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
        String wrong = expired.substring(0, expired.indexOf("::") + 2) + "zzzzzz.0123456789abcdef";
        // the wrong token first: its agent's start takes most of the time the other token needs to expire
        assertJoinRefused(serverUrl, wrong);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, expiredAt - System.nanoTime()));
        assertJoinRefused(serverUrl, expired);
        assertThat(kubectl.run("get", "node", "intruder").exitCode()).isNotZero();
    }

    private static void assertJoinRefused(String serverUrl, String token) {
        Kubectl.Result r = AgentProcess.runToExit(tmp.resolve("refused-" + token.hashCode()), "--server", serverUrl,
                "--token", token, "--node-name", "intruder");
        assertThat(r.exitCode()).as(r.stdout()).isEqualTo(1);
        assertThat(r.stdout()).contains("kube4j agent: the server refused the join token (401 Unauthorized)");
    }

    /** {@code nft list table ip kube4j} in the node's network namespace. */
    private static String nodeTable(String node) {
        List<String> cmd = List.of("nft", "list", "table", "ip", "kube4j");
        if (node.equals(SERVER_NODE)) {
            return AgentNetns.run(cmd.toArray(String[]::new));
        }
        return AgentNetns.run(namespaces.get(AGENT_NODES.indexOf(node)).exec(cmd).toArray(String[]::new));
    }

    /**
     * A command in the client pod's container on {@code node}, bounded by busybox's timeout (its wget -T crashes).
     * It is run with the node runtime's runc, as the CRI's exec does, not through {@code kubectl exec}: what is
     * tested here is the pod network, and the API server's path to an agent's kubelet is AgentE2ETest's subject.
     * containerd's runc shims keep every node's containers under one root (container IDs do not collide).
     */
    private static Kubectl.Result inPod(String node, String... command) {
        String container = clientContainers.computeIfAbsent(node, n -> {
            String id = jsonpath("pod", "client-" + n, "{.status.containerStatuses[0].containerID}");
            return id.substring(id.indexOf("://") + 3);
        });
        Path runcRoot = PrivateContainerd.selected() ? PrivateContainerd.RUNC_ROOT
                : workerDirs.get(allNodes().indexOf(node)).resolve("runtime").resolve("runc");
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", runcRoot.toString(), "exec", container,
                "timeout", "5"));
        cmd.addAll(List.of(command));
        try {
            Path err = Files.createTempFile(tmp, "exec", ".txt");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            String stderr = Files.readString(err);
            Files.delete(err);
            return new Kubectl.Result(p.isAlive() ? -1 : p.exitValue(), out, stderr);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xffffffffL << (32 - bits) & 0xffffffffL;
        return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }
}
