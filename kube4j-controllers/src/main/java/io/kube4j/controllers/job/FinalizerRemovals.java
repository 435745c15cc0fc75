package io.kube4j.controllers.job;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracking-finalizer removals a Job's sync issued and the pod informer has not shown yet (upstream's
 * finalizerExpectations). Until the informer delivers the pod without its finalizer, the cached pod still carries it:
 * a sync in between must not take it for a finished pod not yet counted, or it would count the pod twice.
 */
final class FinalizerRemovals {
    private final ConcurrentHashMap<String, Set<String>> byJob = new ConcurrentHashMap<>();

    /** Called before the removal is sent, so a sync that starts meanwhile already skips the pod. */
    void expect(String jobKey, String podUid) {
        byJob.computeIfAbsent(jobKey, k -> ConcurrentHashMap.newKeySet()).add(podUid);
    }

    /** The informer showed the pod without the finalizer, or gone; or the removal failed and will not be seen. */
    void observed(String jobKey, String podUid) {
        byJob.computeIfPresent(jobKey, (k, uids) -> {
            uids.remove(podUid);
            return uids.isEmpty() ? null : uids;
        });
    }

    boolean expected(String jobKey, String podUid) {
        Set<String> uids = byJob.get(jobKey);
        return uids != null && uids.contains(podUid);
    }

    void forget(String jobKey) {
        byJob.remove(jobKey);
    }
}
