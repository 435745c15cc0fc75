package io.kube4j.kubelet.env;

/** A container cannot be configured (a missing ConfigMap, key or Secret): upstream's CreateContainerConfigError. */
public class ContainerConfigException extends RuntimeException {
    public ContainerConfigException(String message) {
        super(message);
    }
}
