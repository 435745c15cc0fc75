package io.kube4j.kubelet.status;

/** Why a container is not running now (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError, ...). */
public record Waiting(String reason, String message) {
}
