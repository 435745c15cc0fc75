package io.kube4j.runtime.sandbox;

/** No sandbox has the ID a request names. */
public class SandboxNotFoundException extends RuntimeException {
    public SandboxNotFoundException(String id) {
        super("pod sandbox \"" + id + "\" not found");
    }
}
