package io.kube4j.runtime.conformance;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kube4j.cri.v1.*;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A CRI client over a unix socket, with the few helpers conformance tests share. */
public final class CriClient implements AutoCloseable {
    private final ManagedChannel channel;
    public final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    public final ImageServiceGrpc.ImageServiceBlockingStub images;

    public CriClient(Path socket) {
        channel = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create()).build();
        runtime = RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
        images = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub rt() {
        return runtime.withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub img() {
        return images.withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    /** Streams container events into the observer until the returned handle is closed. */
    public AutoCloseable containerEvents(java.util.function.Consumer<ContainerEventResponse> events) {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        context.run(() -> RuntimeServiceGrpc.newStub(channel).getContainerEvents(GetEventsRequest.getDefaultInstance(),
                new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(ContainerEventResponse event) {
                        events.accept(event);
                    }

                    @Override
                    public void onError(Throwable t) {
                        // cancelled by the test, or the runtime went away
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        return () -> context.cancel(null);
    }

    public static PodSandboxConfig sandboxConfig(String name, Path logDir) {
        String uid = UUID.randomUUID().toString();
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("conformance").setUid(uid))
                .setHostname(name)
                .setLogDirectory(logDir.resolve(uid).toString())
                .putLabels("suite", "cri-conformance")
                .putLabels("pod", name)
                .putAnnotations("kube4j.io/test", "yes")
                .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10").addSearches("conformance.svc.cluster.local"))
                .build();
    }

    public String runSandbox(PodSandboxConfig config) {
        return rt().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
    }

    public static ContainerConfig.Builder containerConfig(String name, String image, String... command) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .addAllCommand(List.of(command))
                .setLogPath(name + "/0.log")
                .putLabels("container", name);
    }

    public String createContainer(String sandboxId, PodSandboxConfig sandbox, ContainerConfig config) {
        return rt().createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandbox).build()).getContainerId();
    }

    public String startNew(String sandboxId, PodSandboxConfig sandbox, ContainerConfig config) {
        String id = createContainer(sandboxId, sandbox, config);
        rt().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    public ContainerStatus status(String containerId) {
        return rt().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build()).getStatus();
    }

    public PodSandboxStatus sandboxStatus(String sandboxId) {
        return rt().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()).getStatus();
    }

    public ExecSyncResponse exec(String containerId, long timeoutSeconds, String... cmd) {
        return rt().execSync(ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(List.of(cmd))
                .setTimeout(timeoutSeconds).build());
    }

    public void removeSandbox(String sandboxId) {
        rt().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
        rt().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
    }

    /** Stops and removes every sandbox the suite created (label suite=cri-conformance). */
    public void removeAllSandboxes() {
        for (PodSandbox sandbox : rt().listPodSandbox(ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector("suite", "cri-conformance")).build()).getItemsList()) {
            removeSandbox(sandbox.getId());
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
