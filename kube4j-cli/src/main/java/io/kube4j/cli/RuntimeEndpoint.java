package io.kube4j.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kube4j.cri.v1.VersionResponse;
import io.kube4j.kubelet.cri.RuntimeClient;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code --container-runtime-endpoint}: the CRI socket of a runtime this node does not start itself (containerd,
 * or a separate {@code kube4j runtime}). Checked before the kubelet starts, so a wrong value is one clear line rather
 * than a kubelet retrying forever: the socket may still be coming up (it is waited for, saying so), but something
 * that answers and is not a CRI v1 runtime is an error at once.
 */
final class RuntimeEndpoint {
    /** How long a socket that does not exist yet, or does not answer yet, is waited for. */
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private RuntimeEndpoint() {
    }

    /** The socket path of a {@code unix:///PATH} endpoint; anything else is refused as upstream's kubelet does. */
    static Path socketOf(String endpoint) {
        String prefix = "--container-runtime-endpoint " + endpoint + ": ";
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(prefix + "not a URL; give unix:///PATH/TO.sock");
        }
        if (!"unix".equals(uri.getScheme())) {
            throw new IllegalArgumentException(prefix + "only unix sockets are supported; give unix:///PATH/TO.sock");
        }
        String path = uri.getPath();
        if (uri.getAuthority() != null || path == null || !path.startsWith("/") || path.length() < 2) {
            throw new IllegalArgumentException(prefix + "the socket must be an absolute path, as in unix:///run/containerd/containerd.sock");
        }
        return Path.of(path);
    }

    /**
     * Waits (up to {@link #WAIT}, with a progress line every few seconds) until the socket answers CRI v1's Version;
     * returns that answer.
     *
     * @throws IllegalStateException when the path is not a socket, the server is not a CRI v1 runtime, or it did not
     *                               answer in time
     */
    static VersionResponse awaitRuntime(Path socket) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(WAIT);
        Instant nextProgress = start;
        String lastProblem;
        while (true) {
            if (Files.exists(socket) && !Files.isDirectory(socket) && !isSocket(socket)) {
                throw new IllegalStateException("--container-runtime-endpoint unix://" + socket + ": not a unix socket");
            }
            if (!Files.exists(socket)) {
                lastProblem = "socket " + socket + " does not exist (is the runtime started?)";
            } else {
                try (RuntimeClient client = RuntimeClient.connect(socket)) {
                    return client.version();
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (code == Status.Code.UNIMPLEMENTED) {
                        throw new IllegalStateException("--container-runtime-endpoint unix://" + socket
                                + ": the server there is not a CRI v1 runtime (Version: UNIMPLEMENTED)");
                    }
                    if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
                        // e.g. INTERNAL "http2 exception" from a socket that does not speak gRPC at all
                        throw new IllegalStateException("--container-runtime-endpoint unix://" + socket
                                + ": the server there is not a CRI v1 runtime (Version: " + code
                                + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()) + ")");
                    }
                    lastProblem = "no CRI answer on " + socket + " (" + code + ")";
                }
            }
            Instant now = Instant.now();
            if (now.isAfter(deadline)) {
                throw new IllegalStateException("--container-runtime-endpoint unix://" + socket + ": gave up after "
                        + WAIT.toSeconds() + " s: " + lastProblem);
            }
            if (!now.isBefore(nextProgress)) {
                System.err.println("kube4j: waiting for the container runtime: " + lastProblem + " ("
                        + Duration.between(start, now).toSeconds() + " s of " + WAIT.toSeconds() + " s)");
                nextProgress = now.plus(PROGRESS_EVERY);
            }
            Thread.sleep(500);
        }
    }

    private static boolean isSocket(Path path) {
        try {
            // the file type bits of st_mode: S_IFSOCK is 0140000
            return ((Integer) Files.getAttribute(path, "unix:mode") & 0170000) == 0140000;
        } catch (Exception e) {
            return !Files.isRegularFile(path); // no unix view: let the CRI call decide
        }
    }
}
