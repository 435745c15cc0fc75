package io.kube4j.runtime.container;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Container lifecycle changes as they happen, for CRI's GetContainerEvents (the kubelet's evented
 * PLEG). Listeners are called on the thread that made the change and must not block.
 */
public final class ContainerEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerEvents.class);

    public enum Type { CREATED, STARTED, STOPPED, DELETED }

    /** @param container the container as it was when the change happened (for DELETED, its last state) */
    public record Event(Container container, Type type, long at) {
    }

    private final Set<Consumer<Event>> listeners = new CopyOnWriteArraySet<>();

    /** Starts delivering events; the returned handle stops it. */
    public AutoCloseable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    void publish(Container container, Type type) {
        Event event = new Event(container, type, ContainerManager.now());
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.debug("container event listener failed: {}", e.getMessage());
            }
        }
    }
}
