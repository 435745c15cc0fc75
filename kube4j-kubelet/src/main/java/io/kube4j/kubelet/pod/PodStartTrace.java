package io.kube4j.kubelet.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a pod's start-up time went, step by step (waiting for a sync thread, reading the runtime, volumes, sandbox,
 * image, CreateContainer, StartContainer, the status patch), from the moment the kubelet first saw the pod. Upstream
 * logs one "Observed pod startup duration" line per pod; this one also says which step a slow start waited in, which
 * is what separates queueing (a step waiting behind other pods) from slow work. Only the pod's own syncs write it
 * (one at a time), and it stops recording once the pod has started, so a long-lived pod keeps a few entries only.
 */
final class PodStartTrace {
    private final long origin = System.nanoTime();
    private final List<String> steps = new ArrayList<>();
    private final List<Long> at = new ArrayList<>();
    private volatile boolean done;

    /** Records that {@code step} ended now. */
    synchronized void mark(String step) {
        if (!done && steps.size() < 64) {
            steps.add(step);
            at.add(System.nanoTime());
        }
    }

    /** Milliseconds since the pod was first seen. */
    long elapsedMillis() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    /** "queued 3, read 12, sandbox 410, ...": each step's own duration in ms; stops recording. */
    synchronized String finish() {
        done = true;
        List<String> parts = new ArrayList<>(steps.size());
        long previous = origin;
        for (int i = 0; i < steps.size(); i++) {
            parts.add(String.format(Locale.ROOT, "%s %d", steps.get(i), (at.get(i) - previous) / 1_000_000));
            previous = at.get(i);
        }
        return String.join(", ", parts);
    }
}
