package io.kube4j.cli;

import io.grpc.ManagedChannel;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.runtime.RuntimeServer;

import java.nio.file.Path;

/**
 * The container runtime a worker's kubelet drives, and the kubelet's way to it. kube4j's own runtime, started in the
 * same JVM, is reached through gRPC's in-process transport: the same CRI calls, without the socket, HTTP/2 or protobuf
 * encoding, and without loading a Netty gRPC client (with 100 pods the CRI over gRPC was the agent's largest group of
 * classes); its socket is still served, for crictl and a kubelet elsewhere. A runtime given with
 * {@code --container-runtime-endpoint} (containerd, a separate {@code kube4j runtime}) is reached through its socket.
 */
final class NodeRuntime {
    /** kube4j's runtime in this JVM, or null. */
    private final RuntimeServer local;
    /** The socket of a runtime this node did not start, or null. */
    private final Path socket;

    private NodeRuntime(RuntimeServer local, Path socket) {
        this.local = local;
        this.socket = socket;
    }

    /** kube4j's runtime, started in this JVM. */
    static NodeRuntime local(RuntimeServer server) {
        return new NodeRuntime(server, null);
    }

    /** A runtime this node did not start, serving CRI on {@code socket}. */
    static NodeRuntime external(Path socket) {
        return new NodeRuntime(null, socket);
    }

    /** A new CRI channel for the kubelet, which owns (and closes) it. */
    ManagedChannel kubeletChannel() {
        return local != null ? local.inProcessChannel() : RuntimeClient.channel(socket);
    }
}
