package io.kube4j.runtime.container;

/** (sandbox, name, attempt) must be unique for the life of the sandbox. */
public class ContainerExistsException extends RuntimeException {
    public ContainerExistsException(String name, int attempt, String existingId) {
        super("container \"" + name + "\" attempt " + attempt + " already exists in this sandbox as " + existingId);
    }
}
