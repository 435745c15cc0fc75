package io.kube4j.kubelet.kuberuntime;

import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.ContainerStatus;

/** One container of a pod as the runtime reports it, with its detailed status. */
public record RuntimeContainer(String id, String sandboxId, String name, int restartCount, String hash, ContainerStatus status) {

    public static RuntimeContainer of(String sandboxId, ContainerStatus status) {
        return new RuntimeContainer(status.getId(), sandboxId, status.getLabelsOrDefault(Labels.CONTAINER_NAME, status.getMetadata().getName()),
                Labels.restartCount(status.getAnnotationsMap()), status.getAnnotationsOrDefault(Labels.CONTAINER_HASH, ""), status);
    }

    public ContainerState state() {
        return status.getState();
    }

    public boolean running() {
        return status.getState() == ContainerState.CONTAINER_RUNNING;
    }

    public boolean exited() {
        return status.getState() == ContainerState.CONTAINER_EXITED;
    }

    public boolean created() {
        return status.getState() == ContainerState.CONTAINER_CREATED;
    }

    public int exitCode() {
        return status.getExitCode();
    }

    public long createdAt() {
        return status.getCreatedAt();
    }
}
