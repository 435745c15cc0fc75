package io.kube4j.kubelet.volume;

/** A volume cannot be set up (upstream's FailedMount): the pod waits in ContainerCreating. */
public class VolumeException extends RuntimeException {
    public VolumeException(String message) {
        super(message);
    }
}
