package io.kube4j.api.apply;

/**
 * An object that server-side apply cannot interpret against its schema (a list item without its key, duplicate
 * items in an applied configuration, unreadable managedFields). Upstream answers these with an internal error.
 */
public class ApplyException extends RuntimeException {

    public ApplyException(String message) {
        super(message, null, false, false);
    }
}
