package io.kube4j.bench.podstartup;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pod start-up as a client sees it (upstream's pod start-up SLI): from the create request to the first watch event
 * that shows the pod Running with its Ready condition True.
 */
final class StartupWatch implements Watcher<Pod> {
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Long> ready = new ConcurrentHashMap<>();

    /** Call right before the create request. */
    void creating(String name) {
        created.put(name, System.nanoTime());
        if (Boolean.getBoolean("bench.trace")) {
            System.err.println(java.time.LocalTime.now() + " create " + name);
        }
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        if (action != Action.ADDED && action != Action.MODIFIED) {
            return;
        }
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase()) || pod.getStatus().getConditions() == null) {
            return;
        }
        boolean isReady = pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (isReady) {
            if (ready.putIfAbsent(pod.getMetadata().getName(), System.nanoTime()) == null && Boolean.getBoolean("bench.trace")) {
                System.err.println(java.time.LocalTime.now() + " ready " + pod.getMetadata().getName());
            }
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        if (cause != null) {
            System.err.println("pod watch closed: " + cause.getMessage());
        }
    }

    boolean isReady(String name) {
        return ready.containsKey(name);
    }

    /** Nanoseconds from create to Ready, or -1 while it is not ready. */
    long latency(String name) {
        Long r = ready.get(name);
        Long c = created.get(name);
        return r == null || c == null ? -1 : r - c;
    }
}
