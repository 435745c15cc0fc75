package io.kube4j.bench.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Watches pods (as an informer handler) and records when each benchmark pod is first seen with
 * spec.nodeName, next to when its creation was sent. Pods are named {@code <prefix><index>}.
 */
final class BindTracker implements ResourceEventHandler<Pod> {
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

    @Override
    public void onAdd(Pod p) {
        observe(p);
    }

    @Override
    public void onUpdate(Pod old, Pod p) {
        observe(p);
    }

    @Override
    public void onDelete(Pod p, boolean unknown) {
        // The benchmark deletes nothing.
    }

    private void observe(Pod p) {
        if (p.getSpec() == null || p.getSpec().getNodeName() == null) return;
        String name = p.getMetadata().getName();
        if (!name.startsWith(prefix)) return;
        int i = Integer.parseInt(name.substring(prefix.length()));
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
