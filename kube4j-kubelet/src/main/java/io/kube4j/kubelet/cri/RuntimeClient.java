package io.kube4j.kubelet.cri;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kube4j.cri.v1.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The kubelet's only way to the container runtime: CRI v1 over gRPC. */
public final class RuntimeClient implements AutoCloseable {
    private static final long DEFAULT_TIMEOUT_SECONDS = 120;

    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;
    /** Every call counted for the kubelet's /metrics (kubelet_runtime_operations_*). */
    private final io.kube4j.kubelet.metrics.RuntimeOperations operations = new io.kube4j.kubelet.metrics.RuntimeOperations();

    public RuntimeClient(ManagedChannel channel) {
        this.channel = channel;
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel).withMaxInboundMessageSize(16 * 1024 * 1024)
                .withInterceptors(operations);
        this.images = ImageServiceGrpc.newBlockingStub(channel).withMaxInboundMessageSize(16 * 1024 * 1024)
                .withInterceptors(operations);
    }

    public io.kube4j.kubelet.metrics.RuntimeOperations operations() {
        return operations;
    }

    public static RuntimeClient connect(Path socket) {
        return new RuntimeClient(channel(socket));
    }

    /** A CRI channel to the runtime serving the unix socket {@code socket} (gRPC over HTTP/2, on Netty). */
    public static ManagedChannel channel(Path socket) {
        return Grpc.newChannelBuilder("unix://" + socket.toAbsolutePath(), InsecureChannelCredentials.create()).build();
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub rt() {
        return runtime.withDeadlineAfter(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub img() {
        // pulls may take long: a registry on a slow link
        return images.withDeadlineAfter(10, TimeUnit.MINUTES);
    }

    public VersionResponse version() {
        return runtime.withDeadlineAfter(5, TimeUnit.SECONDS).version(VersionRequest.newBuilder().setVersion("v1").build());
    }

    public StatusResponse status() {
        return runtime.withDeadlineAfter(10, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
    }

    public void updatePodCidr(String cidr) {
        rt().updateRuntimeConfig(UpdateRuntimeConfigRequest.newBuilder()
                .setRuntimeConfig(RuntimeConfig.newBuilder().setNetworkConfig(NetworkConfig.newBuilder().setPodCidr(cidr))).build());
    }

    /** @param runtimeHandler the pod's RuntimeClass handler; "" for the runtime's default */
    public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        return rt().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).setRuntimeHandler(runtimeHandler).build())
                .getPodSandboxId();
    }

    public void stopPodSandbox(String id) {
        rt().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    }

    public void removePodSandbox(String id) {
        rt().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    }

    public PodSandboxStatus podSandboxStatus(String id) {
        return rt().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build()).getStatus();
    }

    public List<PodSandbox> listPodSandboxes(Map<String, String> labels) {
        PodSandboxFilter.Builder filter = PodSandboxFilter.newBuilder().putAllLabelSelector(labels);
        return rt().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()).getItemsList();
    }

    public List<Container> listContainers(Map<String, String> labels) {
        ContainerFilter.Builder filter = ContainerFilter.newBuilder().putAllLabelSelector(labels);
        return rt().listContainers(ListContainersRequest.newBuilder().setFilter(filter).build()).getContainersList();
    }

    public ContainerStatus containerStatus(String id) {
        return rt().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus();
    }

    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return rt().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId).setConfig(config)
                .setSandboxConfig(sandboxConfig).build()).getContainerId();
    }

    public void startContainer(String id) {
        rt().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    /** Blocks up to the grace period: the runtime sends SIGTERM, then SIGKILL at the deadline. */
    public void stopContainer(String id, long timeoutSeconds) {
        runtime.withDeadlineAfter(timeoutSeconds + 30, TimeUnit.SECONDS)
                .stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(timeoutSeconds).build());
    }

    public void removeContainer(String id) {
        rt().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    }

    public ExecSyncResponse execSync(String id, List<String> cmd, long timeoutSeconds) {
        return runtime.withDeadlineAfter(timeoutSeconds + 10, TimeUnit.SECONDS)
                .execSync(ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(cmd).setTimeout(timeoutSeconds).build());
    }

    public ImageStatusResponse imageStatus(String image) {
        return img().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
    }

    public String pullImage(String image, PodSandboxConfig sandbox) {
        return pullImage(image, sandbox, List.of());
    }

    /**
     * Pulls with each of {@code credentials} in turn until one works (upstream's order: the most specific
     * first), or without credentials when there are none; the last refusal is thrown.
     */
    public String pullImage(String image, PodSandboxConfig sandbox, List<AuthConfig> credentials) {
        PullImageRequest.Builder request = PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).setSandboxConfig(sandbox);
        if (credentials.isEmpty()) {
            return img().pullImage(request.build()).getImageRef();
        }
        StatusRuntimeException last = null;
        for (AuthConfig auth : credentials) {
            try {
                return img().pullImage(request.setAuth(auth).build()).getImageRef();
            } catch (StatusRuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    public List<Image> listImages() {
        return img().listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
    }

    /** @return the runtime's streaming URL for this exec session */
    public String exec(String containerId, List<String> cmd, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
        return rt().exec(ExecRequest.newBuilder().setContainerId(containerId).addAllCmd(cmd).setStdin(stdin).setStdout(stdout)
                .setStderr(stderr).setTty(tty).build()).getUrl();
    }

    public String attach(String containerId, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
        return rt().attach(AttachRequest.newBuilder().setContainerId(containerId).setStdin(stdin).setStdout(stdout)
                .setStderr(stderr).setTty(tty).build()).getUrl();
    }

    public String portForward(String sandboxId, List<Integer> ports) {
        return rt().portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build()).getUrl();
    }

    public List<ContainerStats> listContainerStats() {
        return rt().listContainerStats(ListContainerStatsRequest.getDefaultInstance()).getStatsList();
    }

    public List<PodSandboxStats> listPodSandboxStats() {
        return rt().listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance()).getStatsList();
    }

    public List<FilesystemUsage> imageFsInfo() {
        return images.withDeadlineAfter(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystemsList();
    }

    /** The verbose status's {@code info} JSON (the process id, among others), empty when the runtime gives none. */
    public String containerInfo(String id) {
        return rt().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).setVerbose(true).build())
                .getInfoOrDefault("info", "");
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
