package io.kube4j.controllers.garbagecollector;

/** What the collector found behind one ownerReference. */
public enum OwnerState {
    /** The owner exists and is not waiting for its dependents. */
    SOLID,
    /** The owner is gone (or was replaced by an object with another uid). */
    DANGLING,
    /** The owner is being deleted in the foreground and waits for its dependents. */
    WAITING_FOR_DEPENDENTS
}
