package io.kube4j.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The components one process runs, closed in the reverse order they started (the API server before the
 * store it writes to). Closed by the JVM's shutdown hook on SIGTERM/Ctrl-C, or at once if start-up fails.
 */
final class Components implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Components.class);
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T component) {
        started.push(component);
        return component;
    }

    /** Starts components into the stack it is given; may throw anything. */
    interface Starter {
        void start(Components components) throws Exception;
    }

    /**
     * Starts the components and runs until SIGTERM/Ctrl-C, when they are closed in reverse order. If starting
     * fails, the ones already started are closed before the failure goes on to the user.
     */
    void runUntilStopped(Starter starter) throws Exception {
        try {
            starter.start(this);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kube4j-shutdown"));
        Thread.currentThread().join();
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
