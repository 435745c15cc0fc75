package io.kube4j.runtime.conformance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Debian's docker-registry on a free loopback port, with images pushed by skopeo. */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private LocalRegistry(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static LocalRegistry start() throws IOException {
        Path dir = Files.createTempDirectory("kube4j-registry");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data")
                + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, dir, port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return registry;
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Pushes an OCI archive as HOST/repository:tag. */
    public void push(Path ociArchive, String repositoryAndTag) throws IOException, InterruptedException {
        Process skopeo = new ProcessBuilder("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                "oci-archive:" + ociArchive, "docker://" + host() + "/" + repositoryAndTag)
                .redirectErrorStream(true).redirectOutput(dir.resolve("skopeo.log").toFile()).start();
        if (skopeo.waitFor() != 0) {
            throw new IllegalStateException("skopeo push failed: " + Files.readString(dir.resolve("skopeo.log")));
        }
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly().waitFor();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
}
