package io.kube4j.runtime;

import io.grpc.stub.StreamObserver;
import io.kube4j.cri.v1.*;
import io.kube4j.runtime.container.Container;
import io.kube4j.runtime.container.ContainerManager;
import io.kube4j.runtime.sandbox.Sandbox;
import io.kube4j.runtime.sandbox.SandboxManager;
import io.kube4j.runtime.streaming.StreamingServer;

import java.util.List;
import java.util.Map;

/** runtime.v1.RuntimeService: the pod and container half of CRI. */
final class CriRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    static final String RUNTIME_NAME = "kube4j";
    static final String RUNTIME_VERSION = "0.1.0";
    static final String API_VERSION = "v1";

    private final SandboxManager sandboxes;
    private final ContainerManager containers;
    private final Stats stats;
    private final StreamingServer streaming;

    CriRuntimeService(SandboxManager sandboxes, ContainerManager containers, StreamingServer streaming) {
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.streaming = streaming;
        this.stats = new Stats(containers);
    }

    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
        GrpcCalls.unary("Version", observer, () -> VersionResponse.newBuilder()
                .setVersion("0.1.0").setRuntimeName(RUNTIME_NAME).setRuntimeVersion(RUNTIME_VERSION)
                .setRuntimeApiVersion(API_VERSION).build());
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        GrpcCalls.unary("Status", observer, () -> {
            String networkProblem = sandboxes.network().notReadyReason();
            RuntimeCondition network = RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(networkProblem == null)
                    .setReason(networkProblem == null ? "" : "NetworkPluginNotReady")
                    .setMessage(networkProblem == null ? "" : networkProblem).build();
            return StatusResponse.newBuilder()
                    .setStatus(RuntimeStatus.newBuilder()
                            .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                            .addConditions(network))
                    .addRuntimeHandlers(RuntimeHandler.newBuilder().setName("").setFeatures(RuntimeHandlerFeatures.getDefaultInstance()))
                    .addRuntimeHandlers(RuntimeHandler.newBuilder().setName("runc").setFeatures(RuntimeHandlerFeatures.getDefaultInstance()))
                    .setFeatures(RuntimeFeatures.getDefaultInstance())
                    .build();
        });
    }

    @Override
    public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> observer) {
        GrpcCalls.unary("RuntimeConfig", observer, () -> RuntimeConfigResponse.newBuilder()
                .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(CgroupDriver.CGROUPFS)).build());
    }

    @Override
    public void updateRuntimeConfig(UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> observer) {
        GrpcCalls.unary("UpdateRuntimeConfig", observer, () -> {
            sandboxes.network().setPodCidr(request.getRuntimeConfig().getNetworkConfig().getPodCidr());
            return UpdateRuntimeConfigResponse.getDefaultInstance();
        });
    }

    // ---- sandboxes

    @Override
    public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> observer) {
        GrpcCalls.unary("RunPodSandbox", observer, () -> RunPodSandboxResponse.newBuilder()
                .setPodSandboxId(sandboxes.run(request.getConfig(), request.getRuntimeHandler()).id()).build());
    }

    @Override
    public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> observer) {
        GrpcCalls.unary("StopPodSandbox", observer, () -> {
            if (sandboxes.exists(request.getPodSandboxId())) {
                String id = sandboxes.get(request.getPodSandboxId()).id();
                for (Container c : containers.inSandbox(id)) {
                    containers.stop(c.id(), 0);
                }
                sandboxes.stop(id);
            }
            return StopPodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> observer) {
        GrpcCalls.unary("RemovePodSandbox", observer, () -> {
            if (sandboxes.exists(request.getPodSandboxId())) {
                String id = sandboxes.get(request.getPodSandboxId()).id();
                for (Container c : containers.inSandbox(id)) {
                    containers.remove(c.id());
                }
                sandboxes.remove(id);
            }
            return RemovePodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> observer) {
        GrpcCalls.unary("PodSandboxStatus", observer, () -> {
            Sandbox sandbox = sandboxes.get(request.getPodSandboxId());
            PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
                    .setStatus(CriMapper.sandboxStatus(sandbox))
                    .setTimestamp(System.currentTimeMillis() * 1_000_000L);
            if (request.getVerbose()) {
                response.putInfo("info", "{\"netns\":\"" + (sandbox.netns() == null ? "" : sandbox.netns()) + "\",\"cgroupParent\":\""
                        + sandbox.record().cgroupParent() + "\"}");
            }
            return response.build();
        });
    }

    @Override
    public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> observer) {
        GrpcCalls.unary("ListPodSandbox", observer, () -> ListPodSandboxResponse.newBuilder()
                .addAllItems(filteredSandboxes(request.getFilter())).build());
    }

    @Override
    public void streamPodSandboxes(StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> observer) {
        GrpcCalls.unary("StreamPodSandboxes", observer, () -> StreamPodSandboxesResponse.newBuilder()
                .addAllPodSandboxes(filteredSandboxes(request.getFilter())).build());
    }

    private List<PodSandbox> filteredSandboxes(PodSandboxFilter filter) {
        return sandboxes.list().stream()
                .filter(s -> filter.getId().isEmpty() || s.id().startsWith(filter.getId()))
                .filter(s -> !filter.hasState() || CriMapper.sandboxState(s) == filter.getState().getState())
                .filter(s -> matches(s.config().getLabelsMap(), filter.getLabelSelectorMap()))
                .map(CriMapper::sandbox)
                .toList();
    }

    static boolean matches(Map<String, String> labels, Map<String, String> selector) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    // ---- containers

    @Override
    public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> observer) {
        GrpcCalls.unary("CreateContainer", observer, () -> CreateContainerResponse.newBuilder()
                .setContainerId(containers.create(request.getPodSandboxId(), request.getConfig(), request.getSandboxConfig()).id())
                .build());
    }

    @Override
    public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> observer) {
        GrpcCalls.unary("StartContainer", observer, () -> {
            containers.start(request.getContainerId());
            return StartContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> observer) {
        GrpcCalls.unary("StopContainer", observer, () -> {
            containers.stop(request.getContainerId(), request.getTimeout());
            return StopContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> observer) {
        GrpcCalls.unary("RemoveContainer", observer, () -> {
            containers.remove(request.getContainerId());
            return RemoveContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> observer) {
        GrpcCalls.unary("ListContainers", observer, () -> ListContainersResponse.newBuilder()
                .addAllContainers(filteredContainers(request.getFilter())).build());
    }

    @Override
    public void streamContainers(StreamContainersRequest request, StreamObserver<StreamContainersResponse> observer) {
        GrpcCalls.unary("StreamContainers", observer, () -> StreamContainersResponse.newBuilder()
                .addAllContainers(filteredContainers(request.getFilter())).build());
    }

    private List<io.kube4j.cri.v1.Container> filteredContainers(ContainerFilter filter) {
        return containers.list().stream()
                .filter(c -> filter.getId().isEmpty() || c.id().startsWith(filter.getId()))
                .filter(c -> filter.getPodSandboxId().isEmpty() || c.record().sandboxId().startsWith(filter.getPodSandboxId()))
                .filter(c -> matches(c.config().getLabelsMap(), filter.getLabelSelectorMap()))
                .map(c -> CriMapper.container(c, containers.observe(c)))
                .filter(c -> !filter.hasState() || c.getState() == filter.getState().getState())
                .toList();
    }

    @Override
    public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> observer) {
        GrpcCalls.unary("ContainerStatus", observer, () -> {
            Container container = containers.get(request.getContainerId());
            Container.Observed observed = containers.observe(container);
            ContainerStatusResponse.Builder response = ContainerStatusResponse.newBuilder()
                    .setStatus(CriMapper.containerStatus(container, observed, containers.image(container)));
            if (request.getVerbose()) {
                response.putInfo("info", "{\"pid\":" + observed.pid() + ",\"cgroupPath\":\"" + container.record().cgroupPath() + "\"}");
            }
            return response.build();
        });
    }

    @Override
    public void updateContainerResources(UpdateContainerResourcesRequest request,
                                         StreamObserver<UpdateContainerResourcesResponse> observer) {
        GrpcCalls.unary("UpdateContainerResources", observer, () -> {
            containers.updateResources(request.getContainerId(), request.getLinux());
            return UpdateContainerResourcesResponse.getDefaultInstance();
        });
    }

    @Override
    public void reopenContainerLog(ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> observer) {
        GrpcCalls.unary("ReopenContainerLog", observer, () -> {
            containers.reopenLog(request.getContainerId());
            return ReopenContainerLogResponse.getDefaultInstance();
        });
    }

    @Override
    public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> observer) {
        GrpcCalls.unary("ExecSync", observer, () -> {
            ContainerManager.ExecResult result = containers.execSync(request.getContainerId(), request.getCmdList(), request.getTimeout());
            return ExecSyncResponse.newBuilder()
                    .setStdout(com.google.protobuf.ByteString.copyFrom(result.stdout()))
                    .setStderr(com.google.protobuf.ByteString.copyFrom(result.stderr()))
                    .setExitCode(result.exitCode()).build();
        });
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> observer) {
        GrpcCalls.unary("Exec", observer, () -> {
            Container container = containers.get(request.getContainerId());
            if (containers.observe(container).state() != ContainerState.CONTAINER_RUNNING) {
                throw new IllegalStateException("container " + container.id() + " is not running");
            }
            if (request.getCmdCount() == 0) {
                throw new IllegalArgumentException("exec command is empty");
            }
            if (!request.getStdin() && !request.getStdout() && !request.getStderr()) {
                throw new IllegalArgumentException("one of stdin, stdout and stderr must be streamed");
            }
            if (request.getTty() && request.getStderr()) {
                throw new IllegalArgumentException("a tty session has no separate stderr");
            }
            return ExecResponse.newBuilder()
                    .setUrl(streaming.execUrl(container.id(), request.getCmdList(), request.getTty(), request.getStdin(),
                            request.getStdout(), request.getStderr())).build();
        });
    }

    @Override
    public void attach(AttachRequest request, StreamObserver<AttachResponse> observer) {
        GrpcCalls.unary("Attach", observer, () -> {
            Container container = containers.get(request.getContainerId());
            if (containers.observe(container).state() != ContainerState.CONTAINER_RUNNING) {
                throw new IllegalStateException("container " + container.id() + " is not running");
            }
            if (!request.getStdin() && !request.getStdout() && !request.getStderr()) {
                throw new IllegalArgumentException("one of stdin, stdout and stderr must be streamed");
            }
            // The terminal is the container's: a TTY container has no separate stderr.
            boolean tty = container.config().getTty();
            // Input goes nowhere when the container was created without stdin: ignored, as CRI-O does.
            boolean stdin = request.getStdin() && container.config().getStdin();
            return AttachResponse.newBuilder().setUrl(streaming.attachUrl(container.id(), container.bundle(), tty,
                    stdin, request.getStdout(), request.getStderr() && !tty)).build();
        });
    }

    @Override
    public void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> observer) {
        GrpcCalls.unary("PortForward", observer, () -> {
            Sandbox sandbox = sandboxes.get(request.getPodSandboxId());
            if (!sandbox.ready()) {
                throw new IllegalStateException("pod sandbox " + sandbox.id() + " is not ready");
            }
            String ip = sandbox.record().hostNetwork() ? "127.0.0.1" : sandbox.record().ip();
            return PortForwardResponse.newBuilder().setUrl(streaming.portForwardUrl(sandbox.id(), ip)).build();
        });
    }

    // ---- events

    /**
     * Streams container lifecycle events until the client cancels, each with the pod's sandbox
     * status and the statuses of its containers, as the kubelet's evented PLEG expects.
     */
    @Override
    public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> observer) {
        io.grpc.stub.ServerCallStreamObserver<ContainerEventResponse> call =
                (io.grpc.stub.ServerCallStreamObserver<ContainerEventResponse>) observer;
        AutoCloseable subscription = containers.events().subscribe(event -> {
            ContainerEventResponse response = eventResponse(event);
            synchronized (call) {
                if (!call.isCancelled()) {
                    call.onNext(response);
                }
            }
        });
        call.setOnCancelHandler(() -> {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing a listener does not fail
            }
        });
    }

    private ContainerEventResponse eventResponse(io.kube4j.runtime.container.ContainerEvents.Event event) {
        ContainerEventType type = switch (event.type()) {
            case CREATED -> ContainerEventType.CONTAINER_CREATED_EVENT;
            case STARTED -> ContainerEventType.CONTAINER_STARTED_EVENT;
            case STOPPED -> ContainerEventType.CONTAINER_STOPPED_EVENT;
            case DELETED -> ContainerEventType.CONTAINER_DELETED_EVENT;
        };
        String sandboxId = event.container().record().sandboxId();
        ContainerEventResponse.Builder response = ContainerEventResponse.newBuilder()
                .setContainerId(event.container().id()).setContainerEventType(type).setCreatedAt(event.at());
        if (sandboxes.exists(sandboxId)) {
            response.setPodSandboxStatus(CriMapper.sandboxStatus(sandboxes.get(sandboxId)));
        }
        for (Container c : containers.inSandbox(sandboxId)) {
            response.addContainersStatuses(CriMapper.containerStatus(c, containers.observe(c), containers.image(c)));
        }
        return response.build();
    }

    // ---- stats

    @Override
    public void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> observer) {
        GrpcCalls.unary("ContainerStats", observer, () -> ContainerStatsResponse.newBuilder()
                .setStats(stats.container(containers.get(request.getContainerId()))).build());
    }

    @Override
    public void listContainerStats(ListContainerStatsRequest request, StreamObserver<ListContainerStatsResponse> observer) {
        GrpcCalls.unary("ListContainerStats", observer, () -> ListContainerStatsResponse.newBuilder()
                .addAllStats(filteredStats(request.getFilter())).build());
    }

    @Override
    public void streamContainerStats(StreamContainerStatsRequest request, StreamObserver<StreamContainerStatsResponse> observer) {
        GrpcCalls.unary("StreamContainerStats", observer, () -> StreamContainerStatsResponse.newBuilder()
                .addAllContainerStats(filteredStats(request.getFilter())).build());
    }

    private List<ContainerStats> filteredStats(ContainerStatsFilter filter) {
        return containers.list().stream()
                .filter(c -> filter.getId().isEmpty() || c.id().startsWith(filter.getId()))
                .filter(c -> filter.getPodSandboxId().isEmpty() || c.record().sandboxId().startsWith(filter.getPodSandboxId()))
                .filter(c -> matches(c.config().getLabelsMap(), filter.getLabelSelectorMap()))
                .filter(c -> containers.observe(c).state() == ContainerState.CONTAINER_RUNNING)
                .map(stats::container)
                .toList();
    }

    @Override
    public void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> observer) {
        GrpcCalls.unary("PodSandboxStats", observer, () -> PodSandboxStatsResponse.newBuilder()
                .setStats(stats.sandbox(sandboxes.get(request.getPodSandboxId()))).build());
    }

    @Override
    public void listPodSandboxStats(ListPodSandboxStatsRequest request, StreamObserver<ListPodSandboxStatsResponse> observer) {
        GrpcCalls.unary("ListPodSandboxStats", observer, () -> ListPodSandboxStatsResponse.newBuilder()
                .addAllStats(filteredSandboxStats(request.getFilter())).build());
    }

    @Override
    public void streamPodSandboxStats(StreamPodSandboxStatsRequest request, StreamObserver<StreamPodSandboxStatsResponse> observer) {
        GrpcCalls.unary("StreamPodSandboxStats", observer, () -> StreamPodSandboxStatsResponse.newBuilder()
                .addAllPodSandboxStats(filteredSandboxStats(request.getFilter())).build());
    }

    private List<PodSandboxStats> filteredSandboxStats(PodSandboxStatsFilter filter) {
        return sandboxes.list().stream()
                .filter(s -> filter.getId().isEmpty() || s.id().startsWith(filter.getId()))
                .filter(s -> matches(s.config().getLabelsMap(), filter.getLabelSelectorMap()))
                .filter(Sandbox::ready)
                .map(stats::sandbox)
                .toList();
    }

    @Override
    public void listMetricDescriptors(ListMetricDescriptorsRequest request, StreamObserver<ListMetricDescriptorsResponse> observer) {
        GrpcCalls.unary("ListMetricDescriptors", observer, ListMetricDescriptorsResponse::getDefaultInstance);
    }

    @Override
    public void listPodSandboxMetrics(ListPodSandboxMetricsRequest request, StreamObserver<ListPodSandboxMetricsResponse> observer) {
        GrpcCalls.unary("ListPodSandboxMetrics", observer, ListPodSandboxMetricsResponse::getDefaultInstance);
    }

    @Override
    public void updatePodSandboxResources(UpdatePodSandboxResourcesRequest request,
                                          StreamObserver<UpdatePodSandboxResourcesResponse> observer) {
        GrpcCalls.unary("UpdatePodSandboxResources", observer, () -> {
            sandboxes.get(request.getPodSandboxId());
            return UpdatePodSandboxResourcesResponse.getDefaultInstance();
        });
    }
}
