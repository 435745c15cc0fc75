package io.kube4j.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet's checks of issue 8 on a single-node {@code kube4j server}, through real kubectl only: streaming
 * (logs -f, exec, exec -it through a pty, cp, port-forward, attach), restarts (liveness, CrashLoopBackOff, OOMKilled),
 * a Job, volumes and env, the projected service-account token, kubectl top, an image imported on the node, preStop
 * and the grace period, a kubelet killed with SIGKILL re-adopting its containers, and bad input shown with upstream's
 * reasons (a Deployment applied with kubectl: WorkerE2ETest, which the containerd pass runs too). The same class runs on kube4j's runtime and, with {@code -Dkube4j.e2e.runtime=containerd},
 * on containerd (see {@link Kube4jServer#withAgent}); nothing in it depends on which.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeletE2ETest {
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    static Path hostDir;

    @BeforeAll
    static void start() throws Exception {
        hostDir = Files.createDirectories(cluster.dir().resolve("host"));
        // one long-running pod for the streaming checks, and to show that bad pods leave others alone
        cluster.kubectl().run("run", "talker", "--image=busybox", "--image-pull-policy=IfNotPresent", "--restart=Never",
                "--overrides={\"spec\":{\"terminationGracePeriodSeconds\":1}}", "--",
                "sh", "-c", "i=0; while true; do echo line-$i; i=$((i+1)); sleep 1; done").assertOk();
        awaitRunning("talker");
    }

    @Test
    @Order(1)
    void aPodRunsWithAnAddressInTheNodesPodCidr() {
        String cidr = cluster.kubectl().run("get", "nodes", "-o", "jsonpath={.items[0].spec.podCIDR}").assertOk()
                .stdout();
        assertThat(cidr).matches("10\\.42\\.\\d+\\.0/24");
        String ip = cluster.kubectl().run("get", "pod", "talker", "-o", "jsonpath={.status.podIP}").assertOk().stdout();
        assertThat(ip).startsWith(cidr.substring(0, cidr.lastIndexOf('.') + 1));
        assertThat(cluster.kubectl().run("get", "pod", "talker", "-o", "jsonpath={.status.hostIP}").assertOk().stdout()).isNotEmpty();
    }

    @Test
    @Order(2)
    void logsFollowExecAndCp() throws Exception {
        try (Streaming logs = Streaming.start(kubectlCommand("logs", "-f", "talker"))) {
            // lines written after kubectl started following arrive too
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.output().contains("line-0\n")
                    && logs.output().lines().count() >= 3);
            int seen = (int) logs.output().lines().count();
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.output().lines().count() > seen + 1);
        }
        Kubectl.Result exec = cluster.kubectl().run("exec", "talker", "--", "sh", "-c", "echo out-$((6*7)); echo err >&2; exit 3");
        assertThat(exec.stdout()).isEqualTo("out-42\n");
        assertThat(exec.stderr()).contains("err");
        assertThat(exec.exitCode()).isEqualTo(3);

        Path in = Files.writeString(cluster.dir().resolve("in.txt"), "copied in and out\n");
        cluster.kubectl().run("cp", in.toString(), "talker:/tmp/in.txt").assertOk();
        assertThat(cluster.kubectl().run("exec", "talker", "--", "cat", "/tmp/in.txt").assertOk().stdout()).isEqualTo("copied in and out\n");
        Path out = cluster.dir().resolve("out.txt");
        cluster.kubectl().run("cp", "talker:/tmp/in.txt", out.toString()).assertOk();
        assertThat(Files.readString(out)).isEqualTo("copied in and out\n");
    }

    @Test
    @Order(3)
    void execWithATerminalThroughAPty() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script (bsdutils) gives kubectl a tty");
        // kubectl -t needs a terminal of its own: script(1) gives it one and types the input into it
        String exec = String.join(" ", kubectlCommand("exec", "-it", "talker", "--", "sh"));
        Kubectl.Result r = runWithInput("tty\necho typed-$((40+2))\nexit 7\n", "/usr/bin/script", "-qec", exec, "/dev/null");
        assertThat(r.stdout()).as(r.stderr()).contains("/dev/pts/").contains("typed-42");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(7);
    }

    @Test
    @Order(4)
    void portForwardAndAttach() throws Exception {
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: web
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "mkdir -p /www && echo hello-through-port-forward > /www/index.html && exec httpd -f -p 8080 -h /www"]
                """, "apply", "-f", "-").assertOk();
        awaitRunning("web");
        int local = Ports.free();
        try (Streaming forward = Streaming.start(kubectlCommand("port-forward", "pod/web", local + ":8080"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> forward.output().contains("Forwarding from"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body())
                            .isEqualTo("hello-through-port-forward\n"));
        }
        // attach follows the running process's output from now on
        try (Streaming attach = Streaming.start(kubectlCommand("attach", "talker"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> attach.output().lines().anyMatch(l -> l.matches("line-\\d+")));
        }
    }

    @Test
    @Order(5)
    void aFailingLivenessProbeRestartsTheContainer() {
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: unhealthy}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: app
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "touch /tmp/healthy; sleep 3; rm /tmp/healthy; exec sleep 3600"]
                    livenessProbe:
                      exec: {command: ["cat", "/tmp/healthy"]}
                      periodSeconds: 1
                      failureThreshold: 1
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(jsonpath("unhealthy", "{.status.containerStatuses[0].restartCount}")).matches("[1-9][0-9]*"));
        assertThat(jsonpath("unhealthy", "{.status.containerStatuses[0].lastState.terminated.reason}"))
                .isIn("Error", "Completed"); // killed by the kubelet: upstream reports the process's end, not "Liveness"
    }

    @Test
    @Order(6)
    void aCrashingContainerReachesCrashLoopBackOff() {
        cluster.kubectl().run("run", "crasher", "--image=busybox", "--image-pull-policy=IfNotPresent",
                "--overrides={\"spec\":{\"terminationGracePeriodSeconds\":1}}", "--",
                "sh", "-c", "echo bye > /dev/termination-log; exit 1").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(jsonpath("crasher", "{.status.containerStatuses[0].state.waiting.reason}")).isEqualTo("CrashLoopBackOff");
            assertThat(jsonpath("crasher", "{.status.containerStatuses[0].restartCount}")).matches("[1-9][0-9]*");
            assertThat(jsonpath("crasher", "{.status.containerStatuses[0].lastState.terminated.exitCode}")).isEqualTo("1");
            assertThat(jsonpath("crasher", "{.status.containerStatuses[0].lastState.terminated.reason}")).isEqualTo("Error");
            assertThat(jsonpath("crasher", "{.status.containerStatuses[0].lastState.terminated.message}")).isEqualTo("bye\n");
        });
    }

    @Test
    @Order(7)
    void aContainerOverItsMemoryLimitIsOomKilled() {
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hog}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\\\0' a); echo ${#x}"]
                    resources: {limits: {memory: 20Mi}}
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(jsonpath("hog", "{.status.containerStatuses[0].state.terminated.reason}")).isEqualTo("OOMKilled");
            assertThat(jsonpath("hog", "{.status.phase}")).isEqualTo("Failed");
        });
    }

    @Test
    @Order(8)
    void aJobsPodEndsCompleted() {
        // what `kubectl create job once --image=busybox` makes, with the node's own copy of busybox (a tagless
        // image is pulled on every start by default, and this node has no registry)
        cluster.kubectl().runWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: once
                        image: busybox
                        imagePullPolicy: IfNotPresent
                        command: [sh, -c, echo job-done]
                """, "apply", "-f", "-").assertOk();
        // the kubelet's part: the Job's pod ends Succeeded, its container terminated with reason Completed
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            String pod = cluster.kubectl().run("get", "pods", "-l", "job-name=once", "-o",
                    "jsonpath={.items[0].metadata.name}").assertOk().stdout();
            assertThat(pod).isNotEmpty();
            assertThat(jsonpath(pod, "{.status.containerStatuses[0].state.terminated.reason}")).isEqualTo("Completed");
            assertThat(jsonpath(pod, "{.status.phase}")).isEqualTo("Succeeded");
        });
        assertThat(cluster.kubectl().run("logs", "job/once").assertOk().stdout()).isEqualTo("job-done\n");
    }

    @Test
    @Order(9)
    void configMapSecretAndDownwardApiReachTheContainer() {
        cluster.kubectl().run("create", "configmap", "settings", "--from-literal=key=value", "--from-literal=greeting=hello").assertOk();
        cluster.kubectl().run("create", "secret", "generic", "creds", "--from-literal=password=s3cret").assertOk();
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: reader, labels: {role: reader}}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "test \\"$(cat /cfg/key)\\" = value && test \\"$GREETING\\" = hello && test \\"$(cat /sec/password)\\" = s3cret && test \\"$PASSWORD\\" = s3cret && grep -q 'role=\\"reader\\"' /info/labels && test \\"$POD\\" = reader && touch /scratch/x && exit 0 || exit 7"]
                    env:
                    - {name: GREETING, valueFrom: {configMapKeyRef: {name: settings, key: greeting}}}
                    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
                    - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    volumeMounts:
                    - {name: cfg, mountPath: /cfg}
                    - {name: sec, mountPath: /sec, readOnly: true}
                    - {name: info, mountPath: /info}
                    - {name: scratch, mountPath: /scratch}
                  volumes:
                  - {name: cfg, configMap: {name: settings}}
                  - {name: sec, secret: {secretName: creds}}
                  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
                  - {name: scratch, emptyDir: {}}
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(jsonpath("reader", "{.status.containerStatuses[0].state.terminated.exitCode}")).isEqualTo("0");
            assertThat(jsonpath("reader", "{.status.phase}")).isEqualTo("Succeeded");
        });
    }

    @Test
    @Order(10)
    void aProjectedServiceAccountTokenAuthenticatesToTheApi() throws Exception {
        // the kube-api-access volume the ServiceAccount admission added to talker: token, cluster CA and namespace
        String dir = "/var/run/secrets/kubernetes.io/serviceaccount/";
        assertThat(cluster.kubectl().run("exec", "talker", "--", "cat", dir + "namespace").assertOk().stdout()).isEqualTo("default");
        String token = cluster.kubectl().run("exec", "talker", "--", "cat", dir + "token").assertOk().stdout();
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"); // a JWT
        // from inside the pod, as an in-cluster client finds the API: the kubernetes Service's address from the
        // environment the kubelet injects, reached through the proxy's DNAT to the API server's advertise address
        String serviceIp = cluster.kubectl().run("get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}")
                .assertOk().stdout();
        assertThat(cluster.kubectl().run("exec", "talker", "--", "sh", "-c", "echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT")
                .assertOk().stdout()).isEqualTo(serviceIp + ":443\n");
        // busybox's wget cannot be used for HTTPS here (its -T crashes with TLS, and its ClientHello, which lacks the
        // signature_algorithms extension, stalls against the JDK's TLS): instead the pod opens the TLS handshake
        // itself with nc and shows that what answers through the Service presents the API server's certificate
        // (TLS 1.2 sends it in the clear), signed by the cluster CA
        String handshake = "printf '" + octalEscapes(TLS12_CLIENT_HELLO) + "' | nc -w 5 $KUBERNETES_SERVICE_HOST "
                + "$KUBERNETES_SERVICE_PORT | strings";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Kubectl.Result inPod = cluster.kubectl().run("exec", "talker", "--", "sh", "-c", handshake);
            assertThat(inPod.stdout()).as(inPod.stderr()).contains("kube-apiserver").contains("kube4j-ca");
        });
        // the projected CA verifies the API server under the name in-cluster clients use (kubernetes.default.svc),
        // presented here from the host on loopback
        Path ca = Files.writeString(cluster.dir().resolve("pod-ca.crt"),
                cluster.kubectl().run("exec", "talker", "--", "cat", dir + "ca.crt").assertOk().stdout());
        Kubectl.Result verified = selfSubjectReview(ca, token);
        assertThat(verified.stdout()).as(verified.stderr())
                .contains("\"username\":\"system:serviceaccount:default:default\"").endsWith(" 201");
        assertThat(selfSubjectReview(ca, "not-a-token").stdout()).endsWith(" 401");
    }

    /**
     * A TLS 1.2-only ClientHello (what busybox's ssl_client sends: ECDHE/RSA AES-GCM and CBC suites, groups x25519 and
     * P-256), so the server answers with its certificate unencrypted.
     */
    private static final String TLS12_CLIENT_HELLO = "1603030047010000430303db67bf8053f8dc4c24524dc85cd148fdf38c6987"
            + "7bd260f1a7e9ba7590a87aee00001000ffc023c027c02bc02f003c003d009c0100000a000a000600040017001d";

    /** Hex as printf octal escapes, which every printf understands. */
    private static String octalEscapes(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            out.append(String.format("\\%03o", Integer.parseInt(hex.substring(i, i + 2), 16)));
        }
        return out.toString();
    }

    /** POSTs a SelfSubjectReview with this bearer token: "<body> <status>" from curl. */
    private static Kubectl.Result selfSubjectReview(Path ca, String token) throws Exception {
        return runWithInput("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}",
                "curl", "-sS", "--max-time", "20", "--cacert", ca.toString(), "-H", "Authorization: Bearer " + token,
                "-H", "Content-Type: application/json", "--data-binary", "@-", "-w", " %{http_code}",
                "--resolve", "kubernetes.default.svc:" + cluster.server().port() + ":127.0.0.1",
                "https://kubernetes.default.svc:" + cluster.server().port() + "/apis/authentication.k8s.io/v1/selfsubjectreviews");
    }

    @Test
    @Order(11)
    void kubectlTopShowsThePodAndTheNode() {
        // the API server scrapes the kubelet every SingleNodeCluster.METRIC_RESOLUTION and needs two scrapes for a
        // rate: the cluster has run longer than that by now, so this mostly checks the figures are there and in
        // kubectl's units
        String node = cluster.kubectl().run("get", "pod", "talker", "-o", "jsonpath={.spec.nodeName}").assertOk()
                .stdout();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            Kubectl.Result top = cluster.kubectl().run("top", "pod", "talker");
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            assertThat(top.stdout().lines().filter(l -> l.startsWith("talker ")).findFirst().orElseThrow())
                    .as(top.stdout()).matches("talker\\s+\\d+m\\s+\\d+Mi\\s*");
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            Kubectl.Result top = cluster.kubectl().run("top", "node");
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            assertThat(top.stdout().lines().filter(l -> l.startsWith(node + " ")).findFirst().orElseThrow())
                    .as(top.stdout()).matches(java.util.regex.Pattern.quote(node)
                            + "\\s+[1-9]\\d*m\\s+\\d+%\\s+[1-9]\\d*Mi\\s+\\d+%\\s*");
        });
    }

    @Test
    @Order(12)
    void anImageArchiveImportedOnTheNodeRunsWithoutARegistry() throws Exception {
        // the image directory's archives go into the runtime: kube4j's rescans it, containerd gets it through ctr
        // at once (kube4j images import finds the node's containerd through the data directory)
        Path dir = Files.createDirectories(cluster.dir().resolve("import"));
        BusyboxImages.copyInto(dir, Map.of("REF_NAME", "docker.io/kube4j/imported:1", "ARCHIVE_NAME", "imported.tar"));
        Kubectl.Result imported = runWithInput("", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Kube4jServer.jar().toString(), "images", "import", dir.resolve("imported.tar").toString(),
                "--data-dir", cluster.server().dataDir().toString());
        assertThat(imported.exitCode()).as(imported.stdout() + imported.stderr()).isZero();
        assertThat(imported.stdout()).startsWith(Kube4jServer.runtimeName().equals("containerd")
                ? "imported into containerd (unix://" : "copied to " + cluster.server().dataDir().resolve("images"));
        cluster.kubectl().run("run", "imported", "--image=kube4j/imported:1", "--image-pull-policy=Never",
                "--restart=Never", "--command", "--", "echo", "from-the-imported-image").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(jsonpath("imported", "{.status.phase}")).isEqualTo("Succeeded"));
        assertThat(cluster.kubectl().run("logs", "imported").assertOk().stdout())
                .isEqualTo("from-the-imported-image\n");
    }

    @Test
    @Order(13)
    void deletionRunsPreStopThenSigtermThenSigkillAtTheDeadline() throws IOException {
        Path log = hostDir.resolve("grace.log");
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: graceful}
                spec:
                  terminationGracePeriodSeconds: 4
                  containers:
                  - name: app
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    # the shell notes SIGTERM and carries on: only SIGKILL at the deadline ends it
                    command: ["sh", "-c", "trap 'echo sigterm >> /host/grace.log' TERM; echo started >> /host/grace.log; while true; do sleep 1; done"]
                    lifecycle:
                      preStop:
                        exec: {command: ["sh", "-c", "echo prestop >> /host/grace.log"]}
                    volumeMounts: [{name: host, mountPath: /host}]
                  volumes: [{name: host, hostPath: {path: %s, type: Directory}}]
                """.formatted(hostDir), "apply", "-f", "-").assertOk();
        awaitRunning("graceful");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readString(log).contains("started"));
        cluster.kubectl().run("delete", "pod", "graceful", "--wait=true", "--timeout=60s").assertOk();
        assertThat(cluster.kubectl().run("get", "pod", "graceful").stderr()).contains("not found");
        // the hook before the signal; the process outlived SIGTERM (it never exits on its own), so it was killed
        assertThat(Files.readAllLines(log)).containsExactly("started", "prestop", "sigterm");
    }

    @Test
    @Order(14)
    void badInputShowsUpstreamsReasonsAndLeavesOtherPodsAlone() {
        // a registry on a loopback port nothing listens on: the pull fails at once, without leaving the machine
        cluster.kubectl().run("run", "no-image", "--image=127.0.0.1:1/nope:1", "--image-pull-policy=IfNotPresent")
                .assertOk();
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: no-config}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sleep", "3600"]
                    env: [{name: X, valueFrom: {configMapKeyRef: {name: missing, key: x}}}]
                """, "apply", "-f", "-").assertOk();
        cluster.kubectl().run("run", "no-command", "--image=busybox", "--image-pull-policy=IfNotPresent", "--command",
                "--", "/no/such/binary").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(jsonpath("no-image", "{.status.containerStatuses[0].state.waiting.reason}"))
                    .isIn("ErrImagePull", "ImagePullBackOff");
            assertThat(jsonpath("no-config", "{.status.containerStatuses[0].state.waiting.reason}"))
                    .isEqualTo("CreateContainerConfigError");
            assertThat(jsonpath("no-config", "{.status.containerStatuses[0].state.waiting.message}"))
                    .isEqualTo("configmap \"missing\" not found");
            // upstream's kubelet reports where the runtime refused: containerd at StartContainer (RunContainerError,
            // then CrashLoopBackOff with the failed attempt kept as StartError, exit 128), a runtime that checks the
            // command at CreateContainer (CRI-O, kube4j's) with CreateContainerError
            assertThat(jsonpath("no-command", "{.status.containerStatuses[0].state.waiting.reason}"))
                    .isIn("RunContainerError", "CrashLoopBackOff", "CreateContainerError");
            assertThat(jsonpath("no-command", "{.status.containerStatuses[0].state.waiting.message}")
                    + jsonpath("no-command", "{.status.containerStatuses[0].lastState.terminated.message}"))
                    .contains("/no/such/binary");
        });
        assertThat(jsonpath("no-image", "{.status.containerStatuses[0].state.waiting.message}")).contains("127.0.0.1:1/nope:1");
        assertThat(jsonpath("talker", "{.status.phase}")).isEqualTo("Running");
        assertThat(jsonpath("talker", "{.status.containerStatuses[0].restartCount}")).isEqualTo("0");
        cluster.kubectl().run("delete", "pod", "no-image", "no-config", "no-command", "--wait=false").assertOk();
    }

    @Test
    @Order(15)
    void aKubeletKilledWithSigkillReadoptsItsContainersWhenItStartsAgain() {
        String before = jsonpath("talker", "{.status.containerStatuses[0].containerID}");
        assertThat(before).matches("[a-z0-9]+://[0-9a-f]+");
        cluster.server().kill();
        cluster.server().start();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "nodes", "-o",
                        "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}").stdout()).isEqualTo("True"));
        // a few syncs later the container is still the same one, never restarted, and still streams its output
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(jsonpath("talker", "{.status.containerStatuses[0].containerID}")).isEqualTo(before);
            assertThat(jsonpath("talker", "{.status.containerStatuses[0].restartCount}")).isEqualTo("0");
            assertThat(jsonpath("talker", "{.status.phase}")).isEqualTo("Running");
        });
        // the Node's Ready condition is the one from before the kill until the new kubelet reports: exec shows when
        // the new kubelet's server listens (a loaded machine may take longer than the checks above to start it)
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("exec", "talker", "--", "echo", "still-here").assertOk().stdout())
                        .isEqualTo("still-here\n"));
    }

    private static String jsonpath(String pod, String path) {
        return cluster.kubectl().run("get", "pod", pod, "-o", "jsonpath=" + path).stdout();
    }

    private static void awaitRunning(String pod) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(jsonpath(pod, "{.status.phase}")).isEqualTo("Running"));
    }

    /** A command run to its end with the given input, its output collected; kubectl's HOME for its cache. */
    private static Kubectl.Result runWithInput(String input, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", cluster.dir().resolve("kubectl-cache").toString());
        Path out = Files.createTempFile(cluster.dir(), "run", ".out");
        Path err = Files.createTempFile(cluster.dir(), "run", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + Files.readString(out));
        }
        return new Kubectl.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> kubectlCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Kubectl.DISPATCHER,
                "--kubeconfig", cluster.server().kubeconfig().toString(),
                "--cache-dir", cluster.dir().resolve("kubectl-cache").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A kubectl that keeps running (logs -f, port-forward, attach): its output collected as it comes. */
    private static final class Streaming implements AutoCloseable {
        private final Process process;
        private final StringBuffer output = new StringBuffer();

        private Streaming(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the process was stopped
                }
            }, "kubectl-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Streaming start(List<String> cmd) {
            try {
                ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
                builder.environment().put("HOME", cluster.dir().resolve("kubectl-cache").toString());
                return new Streaming(builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String output() {
            return output.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
