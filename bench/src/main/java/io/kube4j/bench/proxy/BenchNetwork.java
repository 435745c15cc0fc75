package io.kube4j.bench.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own network, so the machine's tables are never touched: a "node" namespace with a bridge
 * (10.42.0.1/24) and a "pod" namespace behind it holding the addresses 10.42.0.2 to 10.42.0.11, where a
 * {@link TcpSink} listens on port 8080.
 */
final class BenchNetwork implements AutoCloseable {
    static final int POD_PORT = 8080;
    static final int POD_ADDRESSES = 10;

    final String node;
    final String pod;
    private final List<Process> children = new ArrayList<>();

    BenchNetwork() {
        String prefix = "k4jbench" + ProcessHandle.current().pid();
        node = prefix + "-node";
        pod = prefix + "-pod";
    }

    void create() throws IOException, InterruptedException {
        run("ip", "netns", "add", node);
        run("ip", "netns", "add", pod);
        inNs(node, "ip", "link", "set", "lo", "up");
        inNs(pod, "ip", "link", "set", "lo", "up");
        inNs(node, "ip", "link", "add", "br0", "type", "bridge");
        inNs(node, "ip", "addr", "add", "10.42.0.1/24", "dev", "br0");
        inNs(node, "ip", "link", "set", "br0", "up");
        // the service network needs a route from the node, as its default route gives it on a real machine
        inNs(node, "ip", "route", "add", "default", "dev", "br0");
        inNs(node, "ip", "link", "add", "vethpod", "type", "veth", "peer", "name", "eth0", "netns", pod);
        inNs(node, "ip", "link", "set", "vethpod", "master", "br0");
        inNs(node, "ip", "link", "set", "vethpod", "up");
        for (int i = 0; i < POD_ADDRESSES; i++) {
            inNs(pod, "ip", "addr", "add", podIp(i) + "/24", "dev", "eth0");
        }
        inNs(pod, "ip", "link", "set", "eth0", "up");
        inNs(pod, "ip", "route", "add", "default", "via", "10.42.0.1");
        Process sink = javaIn(pod, TcpSink.class, Integer.toString(POD_PORT));
        children.add(sink);
        BufferedReader out = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
        if (!"listening".equals(out.readLine())) {
            throw new IOException("the TCP sink in " + pod + " did not start");
        }
    }

    static String podIp(int i) {
        return "10.42.0." + (2 + i);
    }

    /** Runs a class of this benchmark in its own JVM inside a namespace (a JVM thread cannot change namespace). */
    static Process javaIn(String ns, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static void inNs(String ns, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        run(full.toArray(String[]::new));
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (String ns : List.of(pod, node)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                System.err.println("proxy bench: cannot remove namespace " + ns + ": " + e.getMessage());
            }
        }
    }
}
