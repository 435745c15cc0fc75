package io.kube4j.runtime.image;

/** A registry or its token server refused the credentials (or their absence) for a pull. */
public class RegistryAuthException extends RuntimeException {
    public RegistryAuthException(String message) {
        super(message);
    }
}
