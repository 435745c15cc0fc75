package io.kube4j.controllers.podautoscaler;

/** A metric could not be read or used; the message is what upstream puts in the condition and the event. */
public final class MetricsUnavailableException extends Exception {
    public MetricsUnavailableException(String message) {
        super(message);
    }
}
