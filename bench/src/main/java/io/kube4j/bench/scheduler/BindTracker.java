package io.kube4j.bench.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records when each benchmark pod is first reported bound (by {@link BoundPodWatch}), next to when its creation
 * was sent. Pods are named {@code <prefix><index>}; names of other pods are ignored.
 */
final class BindTracker {
    private final String prefix;
    private final AtomicLongArray createdAt;
    private final AtomicLongArray boundAt;
    private final AtomicInteger bound = new AtomicInteger();

    BindTracker(String prefix, int pods) {
        this.prefix = prefix;
        this.createdAt = new AtomicLongArray(pods);
        this.boundAt = new AtomicLongArray(pods);
    }

    void created(int index, long nanos) {
        createdAt.set(index, nanos);
    }

    /** A pod named {@code name} was seen with spec.nodeName set. */
    void bound(String name) {
        if (!name.startsWith(prefix)) return;
        int i;
        try {
            i = Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (i < boundAt.length() && boundAt.compareAndSet(i, 0, System.nanoTime())) bound.incrementAndGet();
    }

    int boundCount() {
        return bound.get();
    }

    long createdAt(int i) {
        return createdAt.get(i);
    }

    long boundAt(int i) {
        return boundAt.get(i);
    }

    int size() {
        return boundAt.length();
    }
}
