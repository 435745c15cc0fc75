package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer -> work queue -> workers -> {@link #sync(String)} loop shared by every controller.
 * Event handlers only enqueue keys; all decisions happen in {@code sync}, which reads the current
 * state from informer caches, so it is level-triggered and may run any number of times.
 */
public abstract class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    protected final String name;
    protected final WorkQueue<String> queue;
    private final int workers;
    private final List<Thread> threads = new ArrayList<>();

    protected Controller(String name, int workers) {
        this.name = name;
        this.workers = Math.max(1, workers);
        this.queue = new WorkQueue<>(name);
    }

    public String name() {
        return name;
    }

    /** Reconciles one key. Throwing makes the key retry with backoff. */
    public abstract void sync(String key) throws Exception;

    public void enqueue(HasMetadata obj) {
        queue.add(Keys.of(obj));
    }

    public void enqueue(String key) {
        queue.add(key);
    }

    public void enqueueAfter(String key, Duration delay) {
        queue.addAfter(key, delay);
    }

    public WorkQueue<String> queue() {
        return queue;
    }

    public synchronized void start() {
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::runWorker, name + "-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void runWorker() {
        try {
            while (processNextItem()) {
                // keep going until the queue shuts down
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Processes one key; false once the queue is shut down. Visible for tests that drive a controller step by step. */
    public boolean processNextItem() throws InterruptedException {
        Optional<String> next = queue.get();
        if (next.isEmpty()) {
            return false;
        }
        String key = next.get();
        try {
            sync(key);
            queue.forget(key);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            int retries = queue.numRequeues(key);
            if (retries < 5) {
                LOG.debug("{}: error syncing {} (retry {}): {}", name, key, retries, e.toString(), e);
            } else {
                LOG.warn("{}: error syncing {} (retry {}): {}", name, key, retries, e.toString());
            }
            queue.addRateLimited(key);
        } finally {
            queue.done(key);
        }
        return true;
    }

    @Override
    public void close() {
        queue.shutDown();
        List<Thread> toJoin;
        synchronized (this) {
            toJoin = new ArrayList<>(threads);
            threads.clear();
        }
        for (Thread t : toJoin) {
            t.interrupt();
        }
        for (Thread t : toJoin) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
