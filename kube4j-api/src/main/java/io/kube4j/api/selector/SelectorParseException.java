package io.kube4j.api.selector;

/**
 * A label or field selector that cannot be parsed or is invalid. The message follows upstream's wording so that
 * clients see the same text they would from a Kubernetes API server (the server answers 400 Bad Request).
 */
public final class SelectorParseException extends IllegalArgumentException {

    public SelectorParseException(String message) {
        super(message);
    }
}
