package io.kube4j.kubelet.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kubectl exec, attach, cp and port-forward, and the fabric8 client's exec, through the real API server, kubelet
 * and runtime: the API server proxies each upgrade to the kubelet, which relays it to the runtime's streaming server.
 */
class StreamingE2ETest {
    private static final String NODE = "stream-node";
    private static RealStack stack;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
        // a fixed port: the kubelet publishes its server's port in the Node only when it was given one
        int kubeletPort = RealStack.freePort();
        stack = RealStack.start(NODE, o -> o.withServer(new InetSocketAddress("127.0.0.1", kubeletPort)));
        work = Files.createDirectories(stack.base.resolve("kubectl-work"));
        create("shell", "sleep 3600");
        create("web", "mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www");
        create("ticker", "while true; do echo tick; sleep 1; done");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String name : List.of("shell", "web", "ticker")) {
                Pod p = stack.client.pods().inNamespace("default").withName(name).get();
                assertThat(p.getStatus().getPhase()).as(name).isEqualTo("Running");
                assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).as(name).isTrue();
            }
        });
    }

    private static void create(String name, String script) {
        stack.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("c").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script).endContainer().endSpec().build()).create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static List<String> kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig",
                stack.base.resolve("admin.kubeconfig").toString(), "--cache-dir", work.resolve("cache").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** kubectl 1.32 speaks WebSocket first; these switch it to SPDY/3.1, its fallback and older kubectls' way. */
    private static final java.util.Map<String, String> SPDY = java.util.Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS",
            "false", "KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");

    private static Result run(String stdin, List<String> command) throws Exception {
        return run(stdin, command, java.util.Map.of());
    }

    private static Result run(String stdin, List<String> command, java.util.Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void execPassesStdoutStderrAndTheExitCode() throws Exception {
        Result r = run(null, kubectl("exec", "shell", "--", "sh", "-c", "echo hi; echo err >&2; exit 3"));
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(r.err()).contains("err\n");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
    }

    @Test
    void execOverSpdyPassesStdinStdoutStderrAndTheExitCode() throws Exception {
        Result r = run("abc\n", kubectl("exec", "-i", "shell", "--", "sh", "-c", "tr a-z A-Z; echo err >&2; exit 5"), SPDY);
        assertThat(r.out()).isEqualTo("ABC\n");
        assertThat(r.err()).contains("err\n");
        assertThat(r.exit()).as(r.err()).isEqualTo(5);
    }

    @Test
    void aLargeOutputArrivesWhole() throws Exception {
        int bytes = 32 * 1024 * 1024;
        long start = System.nanoTime();
        Result r = run(null, kubectl("exec", "shell", "--", "sh", "-c", "head -c " + bytes + " /dev/zero | tr '\\0' a"));
        long nanos = System.nanoTime() - start;
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).hasSize(bytes).matches("a+");
        // a figure for docs/benchmarks.md, not an assertion
        System.out.printf("kubectl exec stdout through API server, kubelet and runtime: %d MiB in %d ms (%.1f MiB/s)%n",
                bytes >> 20, nanos / 1_000_000, (bytes / 1048576.0) / (nanos / 1e9));
        long[] rounds = new long[5];
        for (int i = 0; i < rounds.length; i++) {
            long t = System.nanoTime();
            assertThat(run(null, kubectl("exec", "shell", "--", "true")).exit()).isZero();
            rounds[i] = (System.nanoTime() - t) / 1_000_000;
        }
        java.util.Arrays.sort(rounds);
        System.out.printf("kubectl exec POD -- true, whole command: median %d ms of %d%n", rounds[rounds.length / 2],
                rounds.length);
    }

    @Test
    void execPassesStdinThrough() throws Exception {
        Result r = run("hello\nworld\n", kubectl("exec", "-i", "shell", "--", "sh", "-c", "tr a-z A-Z; echo end"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("HELLO\nWORLD\nend\n");
    }

    @Test
    void execWithATerminal() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script (bsdutils) gives kubectl a tty");
        String kubectl = String.join(" ", kubectl("exec", "-it", "shell", "--", "sh", "-c", "'tty; echo ok; exit 4'"));
        Result r = run(null, List.of("/usr/bin/script", "-qec", kubectl, "/dev/null"));
        assertThat(r.out()).contains("/dev/pts/").contains("ok");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(4);
    }

    @Test
    void anInteractiveShellWithATerminal() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script (bsdutils) gives kubectl a tty");
        String kubectl = String.join(" ", kubectl("exec", "-it", "shell", "--", "sh"));
        // what is typed reaches the shell through the terminal; its answer and exit code come back
        Result r = run("echo typed-$((40+2))\nexit 7\n", List.of("/usr/bin/script", "-qec", kubectl, "/dev/null"));
        assertThat(r.out()).contains("typed-42");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
    }

    @Test
    void execIntoAnUnknownContainerIsRefused() throws Exception {
        Result r = run(null, kubectl("exec", "shell", "-c", "nope", "--", "true"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("container nope is not valid for pod shell");
    }

    @Test
    void cpCopiesAFileInAndOut() throws Exception {
        Path local = work.resolve("in.txt");
        String content = "line one\nline two " + System.nanoTime() + "\n";
        Files.writeString(local, content);
        Result in = run(null, kubectl("cp", local.toString(), "default/shell:/tmp/in.txt", "-c", "c"));
        assertThat(in.exit()).as(in.err()).isZero();
        assertThat(run(null, kubectl("exec", "shell", "--", "cat", "/tmp/in.txt")).out()).isEqualTo(content);

        Path back = work.resolve("back.txt");
        Result out = run(null, kubectl("cp", "default/shell:/tmp/in.txt", back.toString(), "-c", "c"));
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(Files.readString(back)).isEqualTo(content);
    }

    @Test
    void portForwardReachesAServerInThePod() throws Exception {
        portForward(java.util.Map.of());
    }

    @Test
    void portForwardOverSpdyReachesAServerInThePod() throws Exception {
        portForward(SPDY);
    }

    private static void portForward(java.util.Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(kubectl("port-forward", "pod/web", ":8080")).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process forward = builder.start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> localPort = CompletableFuture.supplyAsync(() -> {
                Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8080");
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        Matcher m = forwarding.matcher(line);
                        if (m.find()) {
                            return Integer.parseInt(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new AssertionError("kubectl port-forward ended: " + seen);
            });
            int port = localPort.get(60, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).isEqualTo("hello-pf\n");
            }
        } finally {
            forward.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void nodeProxyReachesTheKubelet() throws Exception {
        Result health = run(null, kubectl("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/healthz"));
        assertThat(health.exit()).as(health.err()).isZero();
        assertThat(health.out()).isEqualTo("ok");
        Result pods = run(null, kubectl("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/pods"));
        assertThat(pods.exit()).as(pods.err()).isZero();
        assertThat(pods.out()).contains("\"kind\":\"PodList\"").contains("\"name\":\"shell\"");
    }

    @Test
    void attachFollowsTheContainersOutput() throws Exception {
        Process attach = new ProcessBuilder(kubectl("attach", "ticker", "-c", "c")).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(attach.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> tick = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        if (line.equals("tick")) {
                            return line;
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new AssertionError("kubectl attach ended: " + seen);
            });
            assertThat(tick.get(60, TimeUnit.SECONDS)).isEqualTo("tick");
        } finally {
            attach.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fabric8PortForwardReachesAServerInThePod() throws Exception {
        // the fabric8 client forwards over a WebSocket speaking v4.channel.k8s.io, not kubectl's SPDY
        try (io.fabric8.kubernetes.client.LocalPortForward forward = stack.client.pods().inNamespace("default")
                .withName("web").portForward(8080)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + forward.getLocalPort() + "/")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("hello-pf\n");
        }
    }

    @Test
    void fabric8ExecPassesOutputErrorsAndTheExitCode() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = stack.client.pods().inNamespace("default").withName("shell")
                .writingOutput(out).writingError(err).exec("sh", "-c", "echo hi; echo err >&2; exit 3")) {
            assertThat(watch.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(3);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
        });
    }
}
