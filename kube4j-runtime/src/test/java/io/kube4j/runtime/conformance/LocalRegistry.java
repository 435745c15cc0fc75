package io.kube4j.runtime.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Debian's docker-registry (distribution 2.8) on a free loopback port, with images pushed by skopeo.
 * Optionally with TLS and an {@code auth:} section; requests are logged to {@link #accessLog()}.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final String pushCredentials;
    private final Path pushCertDir;

    private LocalRegistry(Process process, Path dir, int port, String pushCredentials, Path pushCertDir) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.pushCredentials = pushCredentials;
        this.pushCertDir = pushCertDir;
    }

    public static LocalRegistry start() throws IOException {
        return start(null, "", null);
    }

    /**
     * @param tls             certificate and key to serve HTTPS with, or null for plain HTTP
     * @param authYaml        an {@code auth:} section (YAML at top level), or empty
     * @param pushCredentials user:password skopeo pushes with, or null
     */
    public static LocalRegistry start(TestCertificates.Pair tls, String authYaml, String pushCredentials) throws IOException {
        return start(tls, null, null, authYaml, pushCredentials);
    }

    /**
     * A registry that also requires a client certificate signed by {@code clientCa}; skopeo pushes
     * with {@code pushClient}.
     */
    public static LocalRegistry start(TestCertificates.Pair tls, Path clientCa, TestCertificates.Pair pushClient, String authYaml,
                                      String pushCredentials) throws IOException {
        Path dir = Files.createTempDirectory("kube4j-registry");
        int port = freePort();
        StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: info\n  formatter: text\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (tls != null) {
            config.append("  tls:\n    certificate: ").append(tls.cert()).append("\n    key: ").append(tls.key()).append('\n');
            if (clientCa != null) {
                config.append("    clientcas:\n      - ").append(clientCa).append('\n');
            }
        }
        Path certDir = null;
        if (pushClient != null) {
            // skopeo's certificate directory: NAME.cert with NAME.key is a client certificate
            certDir = Files.createDirectories(dir.resolve("push-certs"));
            Files.copy(pushClient.cert(), certDir.resolve("client.cert"));
            Files.copy(pushClient.key(), certDir.resolve("client.key"));
        }
        config.append(authYaml);
        Path file = dir.resolve("config.yml");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("docker-registry", "serve", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, dir, port, pushCredentials, certDir);
        // Auth and TLS make /v2/ answer differently: a listening socket is the readiness signal.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            }
        });
        return registry;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Pushes an OCI archive as HOST/repository:tag. */
    public void push(Path ociArchive, String repositoryAndTag) throws IOException, InterruptedException {
        pushWithDigest(ociArchive, repositoryAndTag);
    }

    /** Pushes an OCI archive as HOST/repository:tag and returns the manifest digest the registry stored. */
    public String pushWithDigest(Path ociArchive, String repositoryAndTag) throws IOException, InterruptedException {
        Path digestFile = dir.resolve("digest-" + System.nanoTime());
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                "--digestfile", digestFile.toString()));
        if (pushCertDir != null) {
            command.add("--dest-cert-dir");
            command.add(pushCertDir.toString());
        }
        if (pushCredentials != null) {
            command.add("--dest-creds");
            command.add(pushCredentials);
        }
        command.add("oci-archive:" + ociArchive);
        command.add("docker://" + host() + "/" + repositoryAndTag);
        Process skopeo = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("skopeo.log").toFile()).start();
        if (skopeo.waitFor() != 0) {
            throw new IllegalStateException("skopeo push failed: " + Files.readString(dir.resolve("skopeo.log")));
        }
        return Files.readString(digestFile).trim();
    }

    /** Everything the registry logged, including one access-log line per request. */
    public String accessLog() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly().waitFor();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
}
