package io.kube4j.runtime;

import io.kube4j.cri.v1.ContainerMetadata;
import io.kube4j.cri.v1.ContainerResources;
import io.kube4j.cri.v1.ContainerStatus;
import io.kube4j.cri.v1.ImageSpec;
import io.kube4j.cri.v1.LinuxPodSandboxStatus;
import io.kube4j.cri.v1.Namespace;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxNetworkStatus;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.cri.v1.PodSandboxStatus;
import io.kube4j.runtime.container.Container;
import io.kube4j.runtime.image.ImageRecord;
import io.kube4j.runtime.sandbox.Sandbox;

import java.util.Optional;

/** Our records to CRI messages. */
final class CriMapper {
    private CriMapper() {
    }

    static PodSandboxState sandboxState(Sandbox sandbox) {
        return sandbox.ready() ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
    }

    static PodSandbox sandbox(Sandbox sandbox) {
        return PodSandbox.newBuilder()
                .setId(sandbox.id())
                .setMetadata(sandbox.config().getMetadata())
                .setState(sandboxState(sandbox))
                .setCreatedAt(sandbox.record().createdAt())
                .putAllLabels(sandbox.config().getLabelsMap())
                .putAllAnnotations(sandbox.config().getAnnotationsMap())
                .build();
    }

    static PodSandboxStatus sandboxStatus(Sandbox sandbox) {
        PodSandboxStatus.Builder status = PodSandboxStatus.newBuilder()
                .setId(sandbox.id())
                .setMetadata(sandbox.config().getMetadata())
                .setState(sandboxState(sandbox))
                .setCreatedAt(sandbox.record().createdAt())
                .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder()
                        .setOptions(sandbox.config().getLinux().getSecurityContext().getNamespaceOptions())))
                .putAllLabels(sandbox.config().getLabelsMap())
                .putAllAnnotations(sandbox.config().getAnnotationsMap());
        if (!sandbox.record().hostNetwork()) {
            status.setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(sandbox.record().ip() == null ? "" : sandbox.record().ip()));
        }
        return status.build();
    }

    static io.kube4j.cri.v1.Container container(Container container, Container.Observed observed) {
        return io.kube4j.cri.v1.Container.newBuilder()
                .setId(container.id())
                .setPodSandboxId(container.record().sandboxId())
                .setMetadata(metadata(container))
                .setImage(imageSpec(container))
                .setImageRef(container.record().imageRef())
                .setImageId(container.record().imageId())
                .setState(observed.state())
                .setCreatedAt(container.record().createdAt())
                .putAllLabels(container.config().getLabelsMap())
                .putAllAnnotations(container.config().getAnnotationsMap())
                .build();
    }

    /**
     * As containerd's ContainerStatus: the image is named by the stored image's first tag, normalised
     * ({@code docker.io/library/busybox:latest} for {@code busybox}), and its reference is the image's first
     * repository digest, which the kubelet reports as the pod's {@code imageID}; an image removed since keeps what
     * the container was created with.
     */
    static ContainerStatus containerStatus(Container container, Container.Observed observed, Optional<ImageRecord> image) {
        ImageSpec.Builder spec = imageSpec(container).toBuilder();
        String imageRef = container.record().imageRef();
        if (image.isPresent()) {
            image.get().repoTags().stream().findFirst().ifPresent(spec::setImage);
            imageRef = image.get().repoDigests().stream().findFirst().orElse(imageRef);
        }
        return ContainerStatus.newBuilder()
                .setId(container.id())
                .setMetadata(metadata(container))
                .setState(observed.state())
                .setCreatedAt(container.record().createdAt())
                .setStartedAt(container.record().startedAt())
                .setFinishedAt(observed.finishedAt())
                .setExitCode(observed.exitCode())
                .setImage(spec)
                .setImageRef(imageRef)
                .setImageId(container.record().imageId())
                .setReason(observed.reason())
                .setMessage(observed.message())
                .putAllLabels(container.config().getLabelsMap())
                .putAllAnnotations(container.config().getAnnotationsMap())
                .addAllMounts(container.config().getMountsList())
                .setLogPath(container.record().logPath())
                .setResources(ContainerResources.newBuilder().setLinux(container.config().getLinux().getResources()))
                .build();
    }

    private static ContainerMetadata metadata(Container container) {
        return ContainerMetadata.newBuilder().setName(container.record().name()).setAttempt(container.record().attempt()).build();
    }

    private static ImageSpec imageSpec(Container container) {
        return ImageSpec.newBuilder().setImage(container.record().userImage())
                .putAllAnnotations(container.config().getImage().getAnnotationsMap()).build();
    }
}
