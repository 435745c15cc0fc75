package io.kube4j.runtime.container;

/** No container has the ID a request names. */
public class ContainerNotFoundException extends RuntimeException {
    public ContainerNotFoundException(String id) {
        super("container \"" + id + "\" not found");
    }
}
