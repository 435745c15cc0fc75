package io.kube4j.kubelet;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kube4j.cri.v1.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory CRI runtime on an in-process gRPC channel. Containers "run" until {@link #exit} or StopContainer;
 * a container whose command is {@code exit N} exits with N as soon as it starts. Images named {@code missing*}
 * cannot be pulled; images under {@code private.example/} need the credentials {@code puller}/{@code pw}.
 */
final class FakeRuntime implements AutoCloseable {
    final Map<String, PodSandbox.Builder> sandboxes = new ConcurrentHashMap<>();
    final Map<String, ContainerStatus.Builder> containers = new ConcurrentHashMap<>();
    final Map<String, String> containerSandbox = new ConcurrentHashMap<>();
    final Map<String, ContainerConfig> configs = new ConcurrentHashMap<>();
    final List<String> images = new CopyOnWriteArrayList<>(List.of("busybox", "busybox:latest"));
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile int execExitCode = 0;
    /** When set, every PullImage fails as a pull from an unreachable registry does, whatever images are present. */
    volatile boolean registryUnreachable;
    /** What ImageStatus says every present image weighs. */
    volatile long imageSize = 1234;
    /** The pod CIDR the kubelet last passed through UpdateRuntimeConfig. */
    volatile String podCidr;
    /** When set, RunPodSandbox waits for it (at most 30 s): a sandbox that takes its time, as CNI can. */
    volatile java.util.concurrent.CountDownLatch sandboxGate;
    /** The runtime handler each RunPodSandbox asked for, by sandbox id. */
    final Map<String, String> sandboxHandlers = new ConcurrentHashMap<>();
    /** The config each RunPodSandbox was given, by sandbox id. */
    final Map<String, PodSandboxConfig> sandboxConfigs = new ConcurrentHashMap<>();
    /** What the runtime reports as NetworkReady (a real runtime waits for the node's pod range). */
    volatile boolean networkReady = true;
    private final AtomicInteger ips = new AtomicInteger(1);
    private final String name = "fake-cri-" + UUID.randomUUID();
    private final Server server;

    FakeRuntime() throws IOException {
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new Runtime()).addService(new Images()).build().start();
    }

    ManagedChannel channel() {
        return InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    synchronized void exit(String containerId, int code) {
        ContainerStatus.Builder c = containers.get(containerId);
        if (c != null && c.getState() == ContainerState.CONTAINER_RUNNING) {
            c.setState(ContainerState.CONTAINER_EXITED).setExitCode(code).setFinishedAt(now())
                    .setReason(code == 0 ? "Completed" : "Error");
        }
    }

    List<ContainerStatus> containersNamed(String name) {
        List<ContainerStatus> out = new ArrayList<>();
        containers.values().forEach(c -> {
            if (c.getMetadata().getName().equals(name)) {
                out.add(c.build());
            }
        });
        out.sort((a, b) -> Long.compare(a.getCreatedAt(), b.getCreatedAt()));
        return out;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static boolean matches(Map<String, String> labels, Map<String, String> selector) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private final class Runtime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
        @Override
        public void version(VersionRequest request, StreamObserver<VersionResponse> o) {
            o.onNext(VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName("fake").setRuntimeVersion("1.0")
                    .setRuntimeApiVersion("v1").build());
            o.onCompleted();
        }

        @Override
        public void status(StatusRequest request, StreamObserver<StatusResponse> o) {
            o.onNext(StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
                    .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                    .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(networkReady))).build());
            o.onCompleted();
        }

        @Override
        public void updateRuntimeConfig(UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> o) {
            podCidr = request.getRuntimeConfig().getNetworkConfig().getPodCidr();
            o.onNext(UpdateRuntimeConfigResponse.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> o) {
            calls.add("RunPodSandbox");
            // as kube4j's runtime: only the default handler and runc exist
            String handler = request.getRuntimeHandler();
            if (!handler.isEmpty() && !handler.equals("runc")) {
                o.onError(Status.INVALID_ARGUMENT.withDescription("unknown runtime handler \"" + handler
                        + "\" (only runc is available)").asRuntimeException());
                return;
            }
            var gate = sandboxGate;
            if (gate != null) {
                try {
                    gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String id = "sb-" + UUID.randomUUID();
            sandboxHandlers.put(id, handler);
            sandboxConfigs.put(id, request.getConfig());
            sandboxes.put(id, PodSandbox.newBuilder().setId(id).setMetadata(request.getConfig().getMetadata())
                    .setState(PodSandboxState.SANDBOX_READY).setCreatedAt(now())
                    .putAllLabels(request.getConfig().getLabelsMap()).putAllAnnotations(request.getConfig().getAnnotationsMap())
                    .putAnnotations("ip", "10.99.0." + ips.getAndIncrement())
                    .putAnnotations("cgroupParent", request.getConfig().getLinux().getCgroupParent()));
            o.onNext(RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build());
            o.onCompleted();
        }

        @Override
        public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> o) {
            calls.add("StopPodSandbox");
            PodSandbox.Builder s = sandboxes.get(request.getPodSandboxId());
            if (s != null) {
                s.setState(PodSandboxState.SANDBOX_NOTREADY);
                containers.forEach((id, c) -> {
                    if (request.getPodSandboxId().equals(containerSandbox.get(id))) {
                        exit(id, 137);
                    }
                });
            }
            o.onNext(StopPodSandboxResponse.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> o) {
            sandboxes.remove(request.getPodSandboxId());
            o.onNext(RemovePodSandboxResponse.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> o) {
            PodSandbox.Builder s = sandboxes.get(request.getPodSandboxId());
            if (s == null) {
                o.onError(Status.NOT_FOUND.withDescription("no sandbox").asRuntimeException());
                return;
            }
            o.onNext(PodSandboxStatusResponse.newBuilder().setStatus(PodSandboxStatus.newBuilder().setId(s.getId())
                    .setState(s.getState()).setMetadata(s.getMetadata())
                    .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(s.getAnnotationsOrDefault("ip", "")))).build());
            o.onCompleted();
        }

        @Override
        public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> o) {
            ListPodSandboxResponse.Builder b = ListPodSandboxResponse.newBuilder();
            sandboxes.values().stream().filter(s -> matches(s.getLabelsMap(), request.getFilter().getLabelSelectorMap()))
                    .forEach(s -> b.addItems(s.build()));
            o.onNext(b.build());
            o.onCompleted();
        }

        @Override
        public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> o) {
            calls.add("CreateContainer " + request.getConfig().getMetadata().getName());
            String id = "c-" + UUID.randomUUID();
            configs.put(id, request.getConfig());
            containerSandbox.put(id, request.getPodSandboxId());
            // as a real runtime, the container's log file appears where the kubelet asked for it
            String logPath = "";
            if (!request.getSandboxConfig().getLogDirectory().isEmpty() && !request.getConfig().getLogPath().isEmpty()) {
                java.nio.file.Path log = java.nio.file.Path.of(request.getSandboxConfig().getLogDirectory())
                        .resolve(request.getConfig().getLogPath());
                try {
                    java.nio.file.Files.createDirectories(log.getParent());
                    java.nio.file.Files.writeString(log, "");
                    logPath = log.toString();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            containers.put(id, ContainerStatus.newBuilder().setId(id).setLogPath(logPath).setMetadata(request.getConfig().getMetadata())
                    .setState(ContainerState.CONTAINER_CREATED).setCreatedAt(now()).setImage(request.getConfig().getImage())
                    .setImageRef("sha256:fake").putAllLabels(request.getConfig().getLabelsMap())
                    .putAllAnnotations(request.getConfig().getAnnotationsMap()));
            o.onNext(CreateContainerResponse.newBuilder().setContainerId(id).build());
            o.onCompleted();
        }

        @Override
        public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> o) {
            ContainerStatus.Builder c = containers.get(request.getContainerId());
            c.setState(ContainerState.CONTAINER_RUNNING).setStartedAt(now());
            List<String> cmd = configs.get(request.getContainerId()).getCommandList();
            if (cmd.size() == 2 && cmd.get(0).equals("exit")) {
                exit(request.getContainerId(), Integer.parseInt(cmd.get(1)));
            }
            o.onNext(StartContainerResponse.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> o) {
            calls.add("StopContainer " + request.getTimeout());
            exit(request.getContainerId(), 137);
            o.onNext(StopContainerResponse.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> o) {
            containers.remove(request.getContainerId());
            o.onNext(RemoveContainerResponse.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> o) {
            ListContainersResponse.Builder b = ListContainersResponse.newBuilder();
            containers.values().stream().filter(c -> matches(c.getLabelsMap(), request.getFilter().getLabelSelectorMap()))
                    .forEach(c -> b.addContainers(Container.newBuilder().setId(c.getId()).setPodSandboxId(containerSandbox.get(c.getId()))
                            .setMetadata(c.getMetadata()).setState(c.getState()).setCreatedAt(c.getCreatedAt())
                            .putAllLabels(c.getLabelsMap()).putAllAnnotations(c.getAnnotationsMap())));
            o.onNext(b.build());
            o.onCompleted();
        }

        @Override
        public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> o) {
            ContainerStatus.Builder c = containers.get(request.getContainerId());
            if (c == null) {
                o.onError(Status.NOT_FOUND.withDescription("no container").asRuntimeException());
                return;
            }
            o.onNext(ContainerStatusResponse.newBuilder().setStatus(c.build()).build());
            o.onCompleted();
        }

        @Override
        public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> o) {
            calls.add("ExecSync " + String.join(" ", request.getCmdList()));
            o.onNext(ExecSyncResponse.newBuilder().setExitCode(execExitCode).build());
            o.onCompleted();
        }
    }

    private final class Images extends ImageServiceGrpc.ImageServiceImplBase {
        @Override
        public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> o) {
            ImageStatusResponse.Builder b = ImageStatusResponse.newBuilder();
            if (images.contains(request.getImage().getImage())) {
                b.setImage(Image.newBuilder().setId("sha256:fake").addRepoTags(request.getImage().getImage()).setSize(imageSize));
            }
            o.onNext(b.build());
            o.onCompleted();
        }

        @Override
        public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> o) {
            String image = request.getImage().getImage();
            calls.add("PullImage " + image);
            if (registryUnreachable) {
                o.onError(Status.UNKNOWN.withDescription("failed to pull and unpack image \"" + image
                        + "\": failed to resolve reference: dial tcp: lookup registry-1.docker.io: no such host").asRuntimeException());
                return;
            }
            if (image.startsWith("missing")) {
                o.onError(Status.NOT_FOUND.withDescription("image " + image + " not found").asRuntimeException());
                return;
            }
            if (image.startsWith("private.example/") && !(request.getAuth().getUsername().equals("puller")
                    && request.getAuth().getPassword().equals("pw"))) {
                calls.add("PullImage refused user '" + request.getAuth().getUsername() + "'");
                o.onError(Status.UNAUTHENTICATED.withDescription("registry refused the credentials").asRuntimeException());
                return;
            }
            images.add(image);
            o.onNext(PullImageResponse.newBuilder().setImageRef("sha256:fake").build());
            o.onCompleted();
        }

        @Override
        public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> o) {
            o.onNext(ListImagesResponse.newBuilder().addImages(Image.newBuilder().setId("sha256:fake").addRepoTags("busybox:latest")
                    .setSize(1000)).build());
            o.onCompleted();
        }
    }
}
