package io.kube4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --container-runtime-endpoint: what upstream's kubelet accepts, and one clear line for what is not a CRI runtime. */
class RuntimeEndpointTest {
    @TempDir
    Path tmp;

    @Test
    void aUnixUrlGivesTheSocketPath() {
        assertThat(RuntimeEndpoint.socketOf("unix:///run/containerd/containerd.sock"))
                .isEqualTo(Path.of("/run/containerd/containerd.sock"));
    }

    @Test
    void otherSchemesAndRelativePathsAreRefused() {
        assertThatThrownBy(() -> RuntimeEndpoint.socketOf("tcp://127.0.0.1:1234"))
                .hasMessage("--container-runtime-endpoint tcp://127.0.0.1:1234: only unix sockets are supported; "
                        + "give unix:///PATH/TO.sock");
        assertThatThrownBy(() -> RuntimeEndpoint.socketOf("/run/containerd/containerd.sock"))
                .hasMessageContaining("only unix sockets are supported");
        assertThatThrownBy(() -> RuntimeEndpoint.socketOf("unix://run/containerd.sock"))
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> RuntimeEndpoint.socketOf("unix:///"))
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> RuntimeEndpoint.socketOf("unix:// bad"))
                .hasMessageContaining("not a URL");
    }

    @Test
    void theFlagIsOptional() {
        assertThat(new WorkerOptions().externalRuntimeSocket()).isNull();
    }

    @Test
    void aRegularFileIsNotASocket() throws Exception {
        Path file = Files.writeString(tmp.resolve("file.sock"), "");
        assertThatThrownBy(() -> RuntimeEndpoint.awaitRuntime(file))
                .hasMessage("--container-runtime-endpoint unix://" + file + ": not a unix socket");
    }

    @Test
    void aSocketThatDoesNotSpeakGrpcIsRefusedWithoutWaitingOutTheDeadline() throws Exception {
        Path socket = tmp.resolve("http.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread answerer = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel client = server.accept()) {
                        client.write(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    } catch (Exception e) {
                        return; // closed at the end of the test
                    }
                }
            });
            answerer.setDaemon(true);
            answerer.start();
            assertThatThrownBy(() -> RuntimeEndpoint.awaitRuntime(socket))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("--container-runtime-endpoint unix://" + socket
                            + ": the server there is not a CRI v1 runtime");
        }
    }
}
