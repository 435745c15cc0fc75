package io.kube4j.cli;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kube4j.cri.v1.RuntimeServiceGrpc;
import io.kube4j.cri.v1.VersionRequest;
import io.kube4j.cri.v1.VersionResponse;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How a worker's kubelet reaches its runtime: in-process when the runtime is this JVM's, else through its socket. */
class NodeRuntimeTest {
    @TempDir
    Path tmp;

    @Test
    void kube4jsOwnRuntimeIsReachedInProcessAndStillServesItsSocket() throws Exception {
        // the runtime enables IP forwarding and looks for leftovers of its (here private, never created) bridge
        assumeTrue("root".equals(System.getProperty("user.name")), "the runtime needs root");
        String bridge = "k4jn" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        Path socket = tmp.resolve("run/runtime.sock");
        try (RuntimeServer server = RuntimeServer.start(RuntimeOptions.defaults(tmp.resolve("runtime"), socket)
                .withImportDir(tmp.resolve("images")).withNetwork(null, bridge, false))) {
            // crictl, or a kubelet in another process
            try (RuntimeClient crictl = RuntimeClient.connect(socket)) {
                assertThat(crictl.version().getRuntimeName()).isEqualTo("kube4j");
            }

            Files.delete(socket);
            try (RuntimeClient throughTheSocket = RuntimeClient.connect(socket)) {
                assertThatThrownBy(throughTheSocket::version).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            }
            try (RuntimeClient kubelet = new RuntimeClient(NodeRuntime.local(server).kubeletChannel())) {
                assertThat(kubelet.version().getRuntimeName()).isEqualTo("kube4j");
                assertThat(kubelet.status().getStatus().getConditionsList())
                        .anySatisfy(c -> assertThat(c.getType()).isEqualTo("RuntimeReady"));
            }
        }
    }

    @Test
    void aRuntimeAtAnEndpointIsReachedThroughItsSocket() throws Exception {
        Path socket = tmp.resolve("other.sock");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Server other = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group)
                .addService(new RuntimeServiceGrpc.RuntimeServiceImplBase() {
                    @Override
                    public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
                        observer.onNext(VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName("other")
                                .setRuntimeVersion("1.0").setRuntimeApiVersion("v1").build());
                        observer.onCompleted();
                    }
                })
                .build().start();
        try (RuntimeClient kubelet = new RuntimeClient(NodeRuntime.external(socket).kubeletChannel())) {
            assertThat(kubelet.version().getRuntimeName()).isEqualTo("other");
        } finally {
            other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
